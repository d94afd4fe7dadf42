package bot.resonance.portal.internal;

import java.time.Clock;
import java.time.Instant;

import bot.resonance.portal.PortalProperties;
import org.springframework.stereotype.Component;

/**
 * Counts failed sign-ins per email address and per client address, in the database so
 * every node sees them: after too many failures within {@code sign-in-failure-window},
 * sign-ins for that email or from that address are refused, even with the right password,
 * until the oldest failures leave the window. A successful sign-in forgets its email's
 * failures. The limits differ: one email gets {@code sign-in-failures-per-email}, one
 * client address (shared by everyone behind it) {@code sign-in-failures-per-address}.
 * Failed two-factor codes and "forgot your password" requests are counted the same way,
 * under their own keys.
 */
@Component
class SignInThrottle {

	private final PortalUserRepository repository;

	private final PortalProperties properties;

	private final Clock clock;

	SignInThrottle(PortalUserRepository repository, PortalProperties properties, Clock clock) {
		this.repository = repository;
		this.properties = properties;
		this.clock = clock;
	}

	boolean refuses(String email, String clientAddress) {
		Instant since = this.clock.instant().minus(this.properties.signInFailureWindow());
		return this.repository.failuresSince(emailKey(email), since) >= this.properties.signInFailuresPerEmail()
				|| this.repository.failuresSince(addressKey(clientAddress), since) >= this.properties
					.signInFailuresPerAddress();
	}

	void failed(String email, String clientAddress) {
		Instant now = this.clock.instant();
		Instant forgetBefore = now.minus(this.properties.signInFailureWindow());
		this.repository.recordFailure(emailKey(email), now, forgetBefore);
		this.repository.recordFailure(addressKey(clientAddress), now, forgetBefore);
	}

	void succeeded(String email) {
		this.repository.clearFailures(emailKey(email));
	}

	/**
	 * Whether two-factor codes of the user, or from the address, are refused for now:
	 * failed codes count per user as failed sign-ins count per email, and towards the
	 * address's failures.
	 */
	boolean refusesCode(String userId, String clientAddress) {
		Instant since = this.clock.instant().minus(this.properties.signInFailureWindow());
		return this.repository.failuresSince(codeKey(userId), since) >= this.properties.signInFailuresPerEmail()
				|| this.repository.failuresSince(addressKey(clientAddress), since) >= this.properties
					.signInFailuresPerAddress();
	}

	void codeFailed(String userId, String clientAddress) {
		Instant now = this.clock.instant();
		Instant forgetBefore = now.minus(this.properties.signInFailureWindow());
		this.repository.recordFailure(codeKey(userId), now, forgetBefore);
		this.repository.recordFailure(addressKey(clientAddress), now, forgetBefore);
	}

	void codeSucceeded(String userId) {
		this.repository.clearFailures(codeKey(userId));
	}

	/**
	 * Whether a "forgot your password" mail to the email, or asked for from the address,
	 * is not sent for now: each may ask {@code password-reset-mails-per-email} (the
	 * address {@code sign-in-failures-per-address}) times within the window, whether the
	 * email has an account or not.
	 */
	boolean refusesResetMail(String email, String clientAddress) {
		Instant since = this.clock.instant().minus(this.properties.signInFailureWindow());
		return this.repository.failuresSince(resetKey(email), since) >= this.properties.passwordResetMailsPerEmail()
				|| this.repository.failuresSince(resetAddressKey(clientAddress), since) >= this.properties
					.signInFailuresPerAddress();
	}

	void resetMailRequested(String email, String clientAddress) {
		Instant now = this.clock.instant();
		Instant forgetBefore = now.minus(this.properties.signInFailureWindow());
		this.repository.recordFailure(resetKey(email), now, forgetBefore);
		this.repository.recordFailure(resetAddressKey(clientAddress), now, forgetBefore);
	}

	private static String codeKey(String userId) {
		return "totp:" + userId;
	}

	private static String resetKey(String email) {
		return "reset:" + email;
	}

	private static String resetAddressKey(String address) {
		return "reset-ip:" + address;
	}

	private static String emailKey(String email) {
		return "email:" + email;
	}

	private static String addressKey(String address) {
		return "ip:" + address;
	}

}
