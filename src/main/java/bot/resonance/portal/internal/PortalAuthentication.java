package bot.resonance.portal.internal;

import java.time.Clock;
import java.util.Optional;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Signs portal users in with their email and password, throttled per email and per client
 * address ({@link SignInThrottle}): the throttle is asked before the password is checked,
 * so a refused attempt costs no hashing and tells nothing about the password. Unknown
 * emails take as long as wrong passwords (Spring Security hashes a dummy password for
 * them). A user with two-factor sign-in on is not signed in by the password alone: the
 * right password leads to the code page ({@link SecondFactorRequiredException}).
 *
 * <p>
 * Being the application's only {@link AuthenticationProvider}, it also keeps Spring Boot
 * from creating its default user with a generated password.
 */
@Component
class PortalAuthentication implements AuthenticationProvider {

	private final DaoAuthenticationProvider passwords;

	private final SignInThrottle throttle;

	private final PortalUserRepository users;

	private final Clock clock;

	PortalAuthentication(PortalUserRepository users, PasswordEncoder portalPasswordEncoder, SignInThrottle throttle,
			Clock clock) {
		this.users = users;
		this.throttle = throttle;
		this.clock = clock;
		this.passwords = new DaoAuthenticationProvider((email) -> EmailAddresses.normalize(email)
			.flatMap(users::findByEmail)
			.orElseThrow(() -> new UsernameNotFoundException("No portal user with this email")));
		this.passwords.setPasswordEncoder(portalPasswordEncoder);
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		String email = EmailAddresses.normalize(authentication.getName()).orElse(authentication.getName());
		String address = Optional.ofNullable(authentication.getDetails())
			.filter(WebAuthenticationDetails.class::isInstance)
			.map((details) -> ((WebAuthenticationDetails) details).getRemoteAddress())
			.orElse("unknown");
		if (this.throttle.refuses(email, address)) {
			throw new SignInThrottledException();
		}
		Authentication signedIn;
		try {
			signedIn = this.passwords.authenticate(authentication);
		}
		catch (BadCredentialsException ex) {
			this.throttle.failed(email, address);
			throw ex;
		}
		catch (PasswordHashing.Busy ex) {
			throw new SignInBusyException();
		}
		this.throttle.succeeded(email);
		if (signedIn.getPrincipal() instanceof PortalPrincipal user) {
			if (user.twoFactor()) {
				throw new SecondFactorRequiredException(user.withoutPassword());
			}
			this.users.recordSignIn(user.userId(), this.clock.instant());
		}
		return signedIn;
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

	/**
	 * The password was right, but the user signs in with a two-factor code too: not
	 * signed in yet. The sign-in form's failure handler sends them to the code page
	 * ({@link PortalSessions#awaitSecondFactor}).
	 */
	static final class SecondFactorRequiredException extends AuthenticationException {

		private final PortalPrincipal user;

		SecondFactorRequiredException(PortalPrincipal user) {
			super("A two-factor code is required");
			this.user = user;
		}

		PortalPrincipal user() {
			return this.user;
		}

	}

	/**
	 * Too many passwords were being checked at once to check this one in time; not a
	 * failure of this sign-in (not counted), to be tried again.
	 */
	static final class SignInBusyException extends AuthenticationException {

		SignInBusyException() {
			super("Too many sign-ins at once");
		}

	}

	/** Too many failed sign-ins for the email or from the address, lately. */
	static final class SignInThrottledException extends AuthenticationException {

		SignInThrottledException() {
			super("Too many failed sign-ins");
		}

	}

}
