package bot.resonance.portal.internal;

/**
 * An open invitation as the Users page lists it. Public (as every record a template
 * reads) so that the templates' expressions can read it.
 *
 * @param id the invitation's id ({@code pinv_…})
 * @param email who is invited
 * @param role the role they will have
 * @param expiresAt until when the link works (UTC)
 */
public record InvitationView(String id, String email, String role, String expiresAt) {
}
