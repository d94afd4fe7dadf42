/**
 * The Partner Portal: the web pages brand users sign in to at {@code /portal}
 * (server-rendered HTML, htmx from a webjar), their invitations, sign-in and sessions,
 * and the operator API that invites them
 * ({@code /admin/v1/brands/{id}/portal-invitations}).
 *
 * <p>
 * Every page is an adapter over another module's application service (the brand from
 * {@link bot.resonance.brands.Brands}, today's figures from
 * {@link bot.resonance.analytics.Analytics}, the balance from
 * {@link bot.resonance.brands.Wallet}); the portal holds no business rule of its own,
 * only its users. A user belongs to one brand and every page shows that brand only: the
 * brand comes from the signed-in user, never from the request.
 */
@ApplicationModule(displayName = "Partner Portal",
		allowedDependencies = { "platform", "brands", "analytics", "rewards", "members", "identity", "ledger",
				"webhooks", "incoming", "integrations", "network", "discord", "discordapi" })
@NullMarked
package bot.resonance.portal;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
