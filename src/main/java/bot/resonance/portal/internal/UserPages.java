package bot.resonance.portal.internal;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import bot.resonance.platform.web.ApiException;
import bot.resonance.portal.PortalProperties;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Settings &gt; Users ({@code /portal/settings/users}): the brand's users and open
 * invitations for everyone to read; admins invite (the same invitation as the operator
 * API's, its link shown once here and mailed when mail is configured), revoke
 * invitations, change roles, remove users and issue password-reset links. The brand
 * always keeps an admin.
 */
@Controller
class UserPages {

	static final String PATH = "/portal/settings/users";

	private static final DateTimeFormatter TIME = PortalTime.TEXT;

	private final PortalUsers users;

	private final PortalProperties properties;

	UserPages(PortalUsers users, PortalProperties properties) {
		this.users = users;
		this.properties = properties;
	}

	@GetMapping(PATH)
	String users(@AuthenticationPrincipal PortalPrincipal user, Model model) {
		return page(user, model);
	}

	@PostMapping(PATH + "/invitations")
	String invite(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "email", required = false) @Nullable String email,
			@RequestParam(name = "role", required = false) @Nullable String role, Model model,
			HttpServletResponse response) {
		user.require(PortalRole.ADMIN, "invite users");
		try {
			PortalUsers.CreatedInvitation invitation = this.users.invite(user.brandId(), email, role,
					PortalUsers.baseUrl(this.properties));
			noStore(response);
			model.addAttribute("created", new CreatedLink("invitation", invitation.email(), invitation.url(),
					time(invitation.expiresAt()), invitation.emailed()));
			model.addAttribute("notice", "Invitation created for " + invitation.email() + ".");
			return page(user, model);
		}
		catch (ApiException ex) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			model.addAttribute("inviteError", ex.getMessage());
			model.addAttribute("inviteEmail", (email != null) ? email : "");
			model.addAttribute("inviteRole", (role != null) ? role : "viewer");
			return page(user, model);
		}
	}

	@PostMapping(PATH + "/invitations/{invitationId}/revoke")
	String revoke(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("invitationId") String invitationId,
			RedirectAttributes redirect) {
		user.require(PortalRole.ADMIN, "revoke invitations");
		if (!this.users.revokeInvitation(user.brandId(), invitationId)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
		redirect.addFlashAttribute("notice", "Invitation revoked: its link no longer works.");
		return "redirect:" + PATH;
	}

	@PostMapping(PATH + "/{userId}/role")
	String changeRole(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("userId") String userId,
			@RequestParam(name = "role", required = false) @Nullable String rawRole, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		user.require(PortalRole.ADMIN, "change roles");
		PortalRole role = PortalRole.parse((rawRole != null) ? rawRole : "").orElse(null);
		if (role == null) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			model.addAttribute("failure", "Choose the role admin, developer or viewer.");
			return page(user, model);
		}
		return done(this.users.changeRole(user, userId, role), "Role changed to " + role.value() + ".", user, model,
				response, redirect);
	}

	@PostMapping(PATH + "/{userId}/remove")
	String remove(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("userId") String userId, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		user.require(PortalRole.ADMIN, "remove users");
		return done(this.users.remove(user, userId), "User removed: they are signed out.", user, model, response,
				redirect);
	}

	@PostMapping(PATH + "/{userId}/two-factor/disable")
	String disableTwoFactor(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("userId") String userId,
			Model model, HttpServletResponse response, RedirectAttributes redirect) {
		user.require(PortalRole.ADMIN, "turn other users' two-factor sign-in off");
		return done(this.users.disableTwoFactor(user, userId),
				"Two-factor sign-in is off for this user; they sign in with their password.", user, model, response,
				redirect);
	}

	@PostMapping(PATH + "/{userId}/password-reset")
	String passwordReset(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("userId") String userId,
			Model model, HttpServletResponse response) {
		user.require(PortalRole.ADMIN, "issue password-reset links");
		PortalUsers.CreatedReset reset = this.users
			.issueReset(user.brandId(), userId, PortalUsers.baseUrl(this.properties))
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		String email = this.users.users(user.brandId())
			.stream()
			.filter((row) -> row.id().equals(userId))
			.map(PortalUserRepository.UserRow::email)
			.findFirst()
			.orElse("");
		noStore(response);
		model.addAttribute("created",
				new CreatedLink("reset", email, reset.url(), time(reset.expiresAt()), reset.emailed()));
		model.addAttribute("notice", "Password-reset link created for " + email + ".");
		return page(user, model);
	}

	private String done(PortalUsers.Change change, String notice, PortalPrincipal user, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		return switch (change) {
			case PortalUsers.Change.Done done -> {
				redirect.addFlashAttribute("notice", notice);
				yield "redirect:" + PATH;
			}
			case PortalUsers.Change.NotFound notFound -> throw new ResponseStatusException(HttpStatus.NOT_FOUND);
			case PortalUsers.Change.Refused refused -> {
				response.setStatus(HttpStatus.CONFLICT.value());
				model.addAttribute("failure", refused.reason());
				yield page(user, model);
			}
		};
	}

	private String page(PortalPrincipal user, Model model) {
		List<PortalUserView> users = this.users.users(user.brandId())
			.stream()
			.map((row) -> new PortalUserView(row.id(), row.email(), row.role().value(),
					(row.lastSignInAt() != null) ? time(row.lastSignInAt()) : "never", row.twoFactor(),
					row.id().equals(user.userId())))
			.toList();
		List<InvitationView> invitations = this.users.openInvitations(user.brandId())
			.stream()
			.map((invitation) -> new InvitationView(invitation.id(), invitation.email(), invitation.role().value(),
					time(invitation.expiresAt())))
			.toList();
		model.addAttribute("users", users);
		model.addAttribute("invitations", invitations);
		model.addAttribute("roles", List.of("admin", "developer", "viewer"));
		model.addAttribute("mailAvailable", this.users.mailAvailable());
		Map.of("inviteEmail", "", "inviteRole", "viewer").forEach((name, value) -> {
			if (!model.containsAttribute(name)) {
				model.addAttribute(name, value);
			}
		});
		return "portal/users";
	}

	static void noStore(HttpServletResponse response) {
		response.setHeader("Cache-Control", "no-store");
	}

	static String time(Instant instant) {
		return TIME.format(instant);
	}

}
