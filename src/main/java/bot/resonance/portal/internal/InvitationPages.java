package bot.resonance.portal.internal;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brands;
import bot.resonance.portal.PortalProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /portal/invitations/{token}}: the invited person chooses a password, which
 * creates their user and signs them in (with a new session id and a new CSRF token, as a
 * sign-in with the form gets).
 */
@Controller
class InvitationPages {

	private final PortalUsers users;

	private final Brands brands;

	private final PortalProperties properties;

	private final PortalSessions sessions;

	InvitationPages(PortalUsers users, Brands brands, PortalProperties properties, PortalSessions sessions) {
		this.users = users;
		this.brands = brands;
		this.properties = properties;
		this.sessions = sessions;
	}

	@GetMapping("/portal/invitations/{token}")
	String invitation(@PathVariable("token") String token, Model model, HttpServletResponse response) {
		Optional<PortalUserRepository.Invitation> invitation = this.users.invitation(token);
		if (invitation.isEmpty()) {
			response.setStatus(HttpStatus.NOT_FOUND.value());
			return "portal/invitation-invalid";
		}
		return form(model, token, invitation.get(), null);
	}

	@PostMapping("/portal/invitations/{token}")
	String accept(@PathVariable("token") String token,
			@RequestParam(name = "password", required = false) @Nullable String password,
			@RequestParam(name = "confirmation", required = false) @Nullable String confirmation, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		return switch (this.users.accept(token, password, confirmation)) {
			case PortalUsers.Acceptance.Accepted accepted -> {
				this.sessions.signIn(accepted.user(), request, response);
				yield "redirect:/portal";
			}
			case PortalUsers.Acceptance.Invalid invalid -> {
				response.setStatus(HttpStatus.NOT_FOUND.value());
				yield "portal/invitation-invalid";
			}
			case PortalUsers.Acceptance.Refused refused -> {
				Optional<PortalUserRepository.Invitation> invitation = this.users.invitation(token);
				if (invitation.isEmpty()) {
					response.setStatus(HttpStatus.NOT_FOUND.value());
					yield "portal/invitation-invalid";
				}
				response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
				yield form(model, token, invitation.get(), refused.reason());
			}
		};
	}

	private String form(Model model, String token, PortalUserRepository.Invitation invitation, @Nullable String error) {
		model.addAttribute("token", token);
		model.addAttribute("email", invitation.email());
		model.addAttribute("role", invitation.role().value());
		model.addAttribute("brandName",
				this.brands.find(invitation.brandId()).map((brand) -> brand.name()).orElse(invitation.brandId()));
		model.addAttribute("minPasswordLength", this.properties.minPasswordLength());
		model.addAttribute("maxPasswordLength", PortalUsers.MAX_PASSWORD_LENGTH);
		model.addAttribute("error", error);
		return "portal/invitation";
	}

}
