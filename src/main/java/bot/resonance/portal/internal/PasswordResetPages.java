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
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Password resets before sign-in: "Forgot your password?"
 * ({@code /portal/forgot-password}) mails a one-time link when mail is configured,
 * answering the same whether or not the address has an account; the link
 * ({@code /portal/password-reset/{token}}, also issued by admins on the Users page) sets
 * a new password, which ends the user's other sessions and signs them in (after their
 * two-factor code, if they have it on).
 */
@Controller
class PasswordResetPages {

	private static final String FORGOT = "/portal/forgot-password";

	private final PortalUsers users;

	private final PortalSessions sessions;

	private final PortalProperties properties;

	PasswordResetPages(PortalUsers users, PortalSessions sessions, PortalProperties properties) {
		this.users = users;
		this.sessions = sessions;
		this.properties = properties;
	}

	@GetMapping(FORGOT)
	String forgot(Model model, HttpServletRequest request) {
		boolean linkable = PortalUsers.mailedLinkBase(this.properties, request).isPresent();
		model.addAttribute("mailAvailable", this.users.mailAvailable() && linkable);
		model.addAttribute("needsAddress", this.users.mailAvailable() && !linkable);
		model.addAttribute("validityMinutes", this.properties.passwordResetValidity().toMinutes());
		return "portal/forgot-password";
	}

	/**
	 * Mails a reset link, if the address is a user's and the link can point at this
	 * server (see {@link PortalUsers#mailedLinkBase}); the answer is the same either way.
	 */
	@PostMapping(FORGOT)
	String requestReset(@RequestParam(name = "email", required = false) @Nullable String email,
			HttpServletRequest request) {
		PortalUsers.mailedLinkBase(this.properties, request)
			.ifPresent((base) -> this.users.requestReset(email, request.getRemoteAddr(), base));
		return "redirect:" + FORGOT + "?sent";
	}

	@GetMapping("/portal/password-reset/{token}")
	String resetForm(@PathVariable("token") String token, Model model, HttpServletResponse response) {
		Optional<String> email = this.users.resetEmail(token);
		if (email.isEmpty()) {
			response.setStatus(HttpStatus.NOT_FOUND.value());
			return "portal/password-reset-invalid";
		}
		return form(model, token, email.get(), null);
	}

	@PostMapping("/portal/password-reset/{token}")
	String reset(@PathVariable("token") String token,
			@RequestParam(name = "password", required = false) @Nullable String password,
			@RequestParam(name = "confirmation", required = false) @Nullable String confirmation, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		return switch (this.users.resetPassword(token, password, confirmation)) {
			case PortalUsers.Acceptance.Accepted accepted -> {
				if (accepted.user().twoFactor()) {
					this.sessions.awaitSecondFactor(accepted.user(), request, response);
					yield "redirect:" + PortalSecurityConfiguration.SIGN_IN_CODE;
				}
				this.sessions.signIn(accepted.user(), request, response);
				yield "redirect:/portal";
			}
			case PortalUsers.Acceptance.Invalid invalid -> {
				response.setStatus(HttpStatus.NOT_FOUND.value());
				yield "portal/password-reset-invalid";
			}
			case PortalUsers.Acceptance.Refused refused -> {
				Optional<String> email = this.users.resetEmail(token);
				if (email.isEmpty()) {
					response.setStatus(HttpStatus.NOT_FOUND.value());
					yield "portal/password-reset-invalid";
				}
				response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
				yield form(model, token, email.get(), refused.reason());
			}
		};
	}

	private String form(Model model, String token, String email, @Nullable String error) {
		model.addAttribute("token", token);
		model.addAttribute("email", email);
		model.addAttribute("minPasswordLength", this.properties.minPasswordLength());
		model.addAttribute("maxPasswordLength", PortalUsers.MAX_PASSWORD_LENGTH);
		model.addAttribute("error", error);
		return "portal/password-reset";
	}

}
