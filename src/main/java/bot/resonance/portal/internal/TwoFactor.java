package bot.resonance.portal.internal;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.crypto.SecretSealer;
import org.springframework.stereotype.Service;

/**
 * Two-factor sign-in with TOTP codes ({@link Totp}): turning it on with a new secret and
 * one code of it, checking codes at sign-in and to turn it off. Every check is throttled
 * like passwords ({@link SignInThrottle}), and a code is accepted only for a later
 * 30-second step than the last accepted one, so a code seen over a shoulder or in a log
 * cannot be used again. Secrets are stored sealed when a sealing key is set.
 */
@Service
class TwoFactor {

	private final PortalUserRepository repository;

	private final SecretSealer sealer;

	private final SignInThrottle throttle;

	private final Clock clock;

	TwoFactor(PortalUserRepository repository, SecretSealer sealer, SignInThrottle throttle, Clock clock) {
		this.repository = repository;
		this.sealer = sealer;
		this.throttle = throttle;
		this.clock = clock;
	}

	/** Checks a code of the user's stored secret, using it up if it is right. */
	CodeCheck check(String userId, @Nullable String code, String clientAddress) {
		if (this.throttle.refusesCode(userId, clientAddress)) {
			return CodeCheck.THROTTLED;
		}
		Optional<String> sealed = this.repository.totpSecret(userId);
		OptionalLong step = sealed.isPresent() ? Totp
			.matchingStep(this.sealer.open(PortalUserRepository.TOTP_SECRET, sealed.get()), code, this.clock.instant())
				: OptionalLong.empty();
		if (step.isPresent() && this.repository.useTotpStep(userId, step.getAsLong())) {
			this.throttle.codeSucceeded(userId);
			return CodeCheck.ACCEPTED;
		}
		this.throttle.codeFailed(userId, clientAddress);
		return CodeCheck.WRONG;
	}

	/**
	 * Turns two-factor sign-in on with {@code secret} if {@code code} is one of its
	 * current codes (so the user's app has it).
	 */
	CodeCheck enable(String userId, String secret, @Nullable String code, String clientAddress) {
		if (this.throttle.refusesCode(userId, clientAddress)) {
			return CodeCheck.THROTTLED;
		}
		OptionalLong step = Totp.matchingStep(secret, code, this.clock.instant());
		if (step.isEmpty()) {
			this.throttle.codeFailed(userId, clientAddress);
			return CodeCheck.WRONG;
		}
		if (!this.repository.enableTotp(userId, this.sealer.seal(PortalUserRepository.TOTP_SECRET, secret),
				step.getAsLong())) {
			// On already (in another session): replacing the secret takes turning it off
			// first, with a code.
			return CodeCheck.WRONG;
		}
		this.throttle.codeSucceeded(userId);
		return CodeCheck.ACCEPTED;
	}

	/** Turns two-factor sign-in off if {@code code} is a current, unused code. */
	CodeCheck disable(String userId, @Nullable String code, String clientAddress) {
		CodeCheck check = check(userId, code, clientAddress);
		if (check == CodeCheck.ACCEPTED) {
			this.repository.disableTotp(userId);
		}
		return check;
	}

	/** What a code came to. */
	enum CodeCheck {

		ACCEPTED,

		/** Not a current code, or one used already. */
		WRONG,

		/** Too many wrong codes lately: not even checked. */
		THROTTLED

	}

}
