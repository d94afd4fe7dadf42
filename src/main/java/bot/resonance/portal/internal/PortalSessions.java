package bot.resonance.portal.internal;

import java.io.Serial;
import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import bot.resonance.portal.PortalProperties;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.stereotype.Component;

/**
 * Signs a user in to the current session outside the sign-in form (after an invitation, a
 * password reset, a two-factor code, a new password): a new session id and a new CSRF
 * token, as the form's sign-in gets. And the half-way state of a sign-in whose password
 * was right but whose two-factor code is still to come: the session is not signed in
 * until then.
 */
@Component
class PortalSessions {

	private static final String PENDING = PortalSessions.class.getName() + ".pending";

	private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

	private final CsrfTokenRepository csrfTokens = new HttpSessionCsrfTokenRepository();

	private final PortalUserRepository users;

	private final PortalProperties properties;

	private final Clock clock;

	PortalSessions(PortalUserRepository users, PortalProperties properties, Clock clock) {
		this.users = users;
		this.properties = properties;
		this.clock = clock;
	}

	/** Signs {@code user} in, with a new session id and CSRF token. */
	void signIn(PortalPrincipal user, HttpServletRequest request, HttpServletResponse response) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.removeAttribute(PENDING);
			request.changeSessionId();
		}
		this.csrfTokens.saveToken(null, request, response);
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		PortalPrincipal signedIn = user.withoutPassword();
		context.setAuthentication(
				UsernamePasswordAuthenticationToken.authenticated(signedIn, null, signedIn.getAuthorities()));
		SecurityContextHolder.setContext(context);
		this.contexts.saveContext(context, request, response);
		this.users.recordSignIn(user.userId(), this.clock.instant());
	}

	/**
	 * Remembers that {@code user}'s password was right and a code is awaited, for
	 * {@code second-factor-timeout}; the session stays signed out (a new id, no one
	 * signed in).
	 */
	void awaitSecondFactor(PortalPrincipal user, HttpServletRequest request, HttpServletResponse response) {
		SecurityContext empty = SecurityContextHolder.createEmptyContext();
		SecurityContextHolder.setContext(empty);
		this.contexts.saveContext(empty, request, response);
		HttpSession session = request.getSession(false);
		if (session != null) {
			request.changeSessionId();
		}
		request.getSession()
			.setAttribute(PENDING, new PendingSignIn(user.userId(), user.sessionVersion(),
					this.clock.instant().plus(this.properties.secondFactorTimeout())));
	}

	/** The sign-in awaiting its code in this session, if it has not timed out. */
	Optional<PendingSignIn> pending(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session == null || !(session.getAttribute(PENDING) instanceof PendingSignIn pending)) {
			return Optional.empty();
		}
		if (!pending.expiresAt().isAfter(this.clock.instant())) {
			session.removeAttribute(PENDING);
			return Optional.empty();
		}
		return Optional.of(pending);
	}

	void forgetPending(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.removeAttribute(PENDING);
		}
	}

	/**
	 * A sign-in whose password was right, awaiting the code.
	 *
	 * @param userId who is signing in
	 * @param sessionVersion their session version then: a new password meanwhile ends it
	 * @param expiresAt until when the code may be entered
	 */
	record PendingSignIn(String userId, long sessionVersion, Instant expiresAt) implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

	}

}
