package bot.resonance.portal.internal;

/**
 * The signed-in user as the layout shows them. Public (as every record a template reads)
 * so that the templates' expressions can read it.
 *
 * @param email their email address
 * @param role {@code admin}, {@code developer} or {@code viewer}
 */
public record PageUser(String email, String role) {

	static PageUser of(PortalPrincipal principal) {
		return new PageUser(principal.email(), principal.role().value());
	}

}
