package bot.resonance.portal.internal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import bot.resonance.portal.PortalProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The operator invites a brand's first portal users. */
@RestController
@RequestMapping("/admin/v1/brands/{brand_id}/portal-invitations")
@Tag(name = "Operator: Partner Portal",
		description = "Invite people to a brand's Partner Portal: a one-time link to choose a password.")
@SecurityRequirement(name = "adminToken")
class InvitationAdminController {

	private final PortalUsers users;

	private final PortalProperties properties;

	InvitationAdminController(PortalUsers users, PortalProperties properties) {
		this.users = users;
		this.properties = properties;
	}

	@PostMapping
	@Operation(operationId = "invitePortalUser", summary = "Invite a portal user",
			responses = @ApiResponse(responseCode = "201", description = "Invited"),
			description = "Answers the one-time invitation link once (it is kept only as a hash); it is also mailed "
					+ "when SMTP is configured (emailed: true). invalid_request (400) for a bad email or role, "
					+ "portal_user_exists (409) when the email already has a portal user.")
	ResponseEntity<PortalUsers.CreatedInvitation> invite(@PathVariable("brand_id") String brandId,
			@RequestBody InvitationRequest request) {
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(this.users.invite(brandId, request.email(), request.role(), baseUrl()));
	}

	private String baseUrl() {
		String base = (this.properties.publicBaseUrl() != null) ? this.properties.publicBaseUrl().toString()
				: ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
		return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

	/**
	 * @param email who is invited
	 * @param role {@code admin}, {@code developer} or {@code viewer}
	 */
	@Schema(example = """
			{"email": "alice@example.com", "role": "admin"}""")
	record InvitationRequest(
			@Schema(description = "Who is invited", example = "alice@example.com") @Nullable String email,
			@Schema(description = "What they may do", allowableValues = {
					"admin", "developer", "viewer" }) @Nullable String role){
	}

}
