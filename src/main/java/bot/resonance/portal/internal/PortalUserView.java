package bot.resonance.portal.internal;

/**
 * A user of the brand as the Users page lists them. Public (as every record a template
 * reads) so that the templates' expressions can read it.
 *
 * @param id the user's id ({@code pusr_…})
 * @param email their email address
 * @param role {@code admin}, {@code developer} or {@code viewer}
 * @param lastSignIn when they last signed in (UTC), or {@code never}
 * @param twoFactor whether they sign in with a two-factor code too
 * @param you whether this is the user looking at the page
 */
public record PortalUserView(String id, String email, String role, String lastSignIn, boolean twoFactor, boolean you) {
}
