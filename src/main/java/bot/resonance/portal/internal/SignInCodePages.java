package bot.resonance.portal.internal;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import bot.resonance.portal.PortalProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The second step of signing in for users with two-factor sign-in on
 * ({@code /portal/sign-in/code}): after the right password, the code from their app. The
 * session is signed in only once the code is right (with a new session id); wrong codes
 * are throttled like wrong passwords, and a code works once.
 */
@Controller
class SignInCodePages {

	private final PortalSessions sessions;

	private final TwoFactor twoFactor;

	private final PortalUserRepository users;

	private final PortalProperties properties;

	SignInCodePages(PortalSessions sessions, TwoFactor twoFactor, PortalUserRepository users,
			PortalProperties properties) {
		this.sessions = sessions;
		this.twoFactor = twoFactor;
		this.users = users;
		this.properties = properties;
	}

	@GetMapping(PortalSecurityConfiguration.SIGN_IN_CODE)
	String form(HttpServletRequest request, Model model) {
		if (this.sessions.pending(request).isEmpty()) {
			return "redirect:" + PortalSecurityConfiguration.SIGN_IN + "?expired";
		}
		return page(model, null);
	}

	@PostMapping(PortalSecurityConfiguration.SIGN_IN_CODE)
	String verify(@RequestParam(name = "code", required = false) @Nullable String code, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Optional<PortalSessions.PendingSignIn> pending = this.sessions.pending(request);
		Optional<PortalPrincipal> user = pending.flatMap((signIn) -> this.users.findById(signIn.userId())
			.filter((found) -> found.sessionVersion() == signIn.sessionVersion() && found.twoFactor()));
		if (user.isEmpty()) {
			this.sessions.forgetPending(request);
			return "redirect:" + PortalSecurityConfiguration.SIGN_IN + "?expired";
		}
		return switch (this.twoFactor.check(user.get().userId(), code, request.getRemoteAddr())) {
			case ACCEPTED -> {
				this.sessions.signIn(user.get(), request, response);
				yield "redirect:/portal";
			}
			case WRONG -> {
				response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
				yield page(model, "That code is not right, or was used already. Enter the code your app shows now.");
			}
			case THROTTLED -> {
				response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
				yield page(model, "Too many wrong codes lately: wait "
						+ this.properties.signInFailureWindow().toMinutes() + " minutes, then try again.");
			}
		};
	}

	private String page(Model model, @Nullable String error) {
		model.addAttribute("error", error);
		return "portal/sign-in-code";
	}

}
