package bot.resonance.portal.internal;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Re-reads the signed-in user on every portal request, so that what an admin changes
 * holds at once: a removed user, or one whose password changed since they signed in (a
 * newer session version), is signed out (their session ends and the request continues
 * signed out, which sends pages to the sign-in page); a user whose role changed has the
 * new role from this request on.
 *
 * <p>
 * Who signed in with Discord has no portal user to re-read: their right to the brand
 * (managing a server bound to it) was checked against Discord when they signed in, and
 * lasts as long as that session.
 *
 * <p>
 * In the portal's filter chain only (not a bean: Spring Boot would register a bean for
 * every path), after the CSRF check and before the authorization check.
 */
final class SignedInUserFilter extends OncePerRequestFilter {

	private final PortalUserRepository users;

	private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

	SignedInUserFilter(PortalUserRepository users) {
		this.users = users;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof PortalPrincipal signedIn
				&& !signedIn.viaDiscord()) {
			Optional<PortalPrincipal> current = this.users.findById(signedIn.userId())
				.filter((user) -> user.sessionVersion() == signedIn.sessionVersion())
				.map(PortalPrincipal::withoutPassword);
			if (current.isEmpty()) {
				SecurityContextHolder.clearContext();
				HttpSession session = request.getSession(false);
				if (session != null) {
					session.invalidate();
				}
			}
			else if (!current.get().sameAs(signedIn)) {
				SecurityContext context = SecurityContextHolder.createEmptyContext();
				context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(current.get(), null,
						current.get().getAuthorities()));
				SecurityContextHolder.setContext(context);
				this.contexts.saveContext(context, request, response);
			}
		}
		chain.doFilter(request, response);
	}

}
