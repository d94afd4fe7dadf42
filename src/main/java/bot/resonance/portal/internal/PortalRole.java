package bot.resonance.portal.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * What a portal user may do in their brand. Only sign-in and the overview exist so far,
 * which every role may see; the pages to come check the role for changes (admin: all,
 * including users and keys; developer: integrations, webhooks, event types; viewer: read
 * only).
 */
enum PortalRole {

	ADMIN, DEVELOPER, VIEWER;

	/** The role as stored and as the API names it: {@code admin}, … */
	String value() {
		return name().toLowerCase(Locale.ROOT);
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
