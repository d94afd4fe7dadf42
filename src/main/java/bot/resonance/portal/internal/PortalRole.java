package bot.resonance.portal.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * What a portal user may do in their brand, from most to least: an admin does everything
 * (including the brand's users and keys), a developer changes integrations, webhooks,
 * event types and members, a viewer reads. Every role reads every page; a page that
 * changes something names the least role it needs ({@link PortalPrincipal#require}).
 */
enum PortalRole {

	ADMIN, DEVELOPER, VIEWER;

	/** The role as stored and as the API names it: {@code admin}, … */
	String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Whether this role may do what {@code least} may (declaration order ranks them). */
	boolean permits(PortalRole least) {
		return ordinal() <= least.ordinal();
	}

	static Optional<PortalRole> parse(String value) {
		for (PortalRole role : values()) {
			if (role.value().equals(value)) {
				return Optional.of(role);
			}
		}
		return Optional.empty();
	}

}
