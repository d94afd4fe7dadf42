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

	private static String emailKey(String email) {
		return "email:" + email;
	}

	private static String addressKey(String address) {
		return "ip:" + address;
	}

}
