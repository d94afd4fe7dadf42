package bot.resonance.portal;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Partner Portal.
 *
 * @param publicBaseUrl the address people reach this server at
 * ({@code https://resonance.example.com}), used to build invitation links; unset, the
 * address the operator's request came to
 * @param invitationValidity how long an invitation link can be used (once)
 * @param minPasswordLength the shortest password a user may choose
 * @param signInFailuresPerEmail how many failed sign-ins one email address may have
 * within {@code signInFailureWindow} before further sign-ins for it (even with the right
 * password) are refused until the window has passed
 * @param signInFailuresPerAddress the same for one client address (higher: many people
 * may share one address)
 * @param signInFailureWindow the window failed sign-ins are counted over (and failed
 * two-factor codes, which have the same limits per user)
 * @param passwordResetValidity how long a password-reset link can be used (once)
 * @param passwordResetMailsPerEmail how many "forgot your password" mails one email
 * address is sent within {@code signInFailureWindow}; further requests are answered the
 * same but send nothing
 * @param secondFactorTimeout how long after the password the two-factor code may be
 * entered
 * @param concurrentPasswordHashes how many passwords are hashed at once (each sign-in,
 * password choice and change hashes one: tens of milliseconds of a core and 16 MiB each);
 * 0, half the processors, at least one
 * @param passwordHashWait how long a sign-in or password change waits for its turn to be
 * hashed before it is refused with "try again" ({@code 503})
 */
@ConfigurationProperties("resonance.portal")
public record PortalProperties(@Nullable URI publicBaseUrl, @DefaultValue("7d") Duration invitationValidity,
		@DefaultValue("12") int minPasswordLength, @DefaultValue("5") int signInFailuresPerEmail,
		@DefaultValue("20") int signInFailuresPerAddress, @DefaultValue("15m") Duration signInFailureWindow,
		@DefaultValue("1h") Duration passwordResetValidity, @DefaultValue("3") int passwordResetMailsPerEmail,
		@DefaultValue("5m") Duration secondFactorTimeout, @DefaultValue("0") int concurrentPasswordHashes,
		@DefaultValue("10s") Duration passwordHashWait) {

	public PortalProperties {
		if (minPasswordLength < 8) {
			throw new IllegalArgumentException("resonance.portal.min-password-length must be at least 8");
		}
		if (signInFailuresPerEmail < 1 || signInFailuresPerAddress < 1) {
			throw new IllegalArgumentException("resonance.portal.sign-in-failures-per-* must be at least 1");
		}
		if (passwordResetMailsPerEmail < 1) {
			throw new IllegalArgumentException("resonance.portal.password-reset-mails-per-email must be at least 1");
		}
		if (concurrentPasswordHashes < 0) {
			throw new IllegalArgumentException(
					"resonance.portal.concurrent-password-hashes must be 0 (automatic) or more");
		}
		if (passwordHashWait.isNegative()) {
			throw new IllegalArgumentException("resonance.portal.password-hash-wait must not be negative");
		}
	}

}
