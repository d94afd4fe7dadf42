package bot.resonance.portal.internal;

/**
 * The signed-in user as the layout shows them. Public (as every record a template reads)
 * so that the templates' expressions can read it.
 *
 * @param email their email address
 * @param role {@code admin}, {@code developer} or {@code viewer}
 */
public record PageUser(String email, String role) {

	/** Whether the user may change what developers may (integrations, webhooks, …). */
	public boolean developer() {
		return !this.role.equals("viewer");
	}

	/** Whether the user may change what only admins may (users, keys). */
	public boolean admin() {
		return this.role.equals("admin");
	}

	static PageUser of(PortalPrincipal principal) {
		return new PageUser(principal.email(), principal.role().value());
	}

}
