/**
 * Incoming webhooks: URLs ({@code POST /hooks/{brand_id}/{hook_id}}) that a brand's other
 * services call, signed the Standard Webhooks way with the hook's secret, to make the bot
 * act: add or remove currency ({@code currency.add}), assign a role
 * ({@code role.assign}), post a message ({@code message.post}). Each hook allows chosen
 * actions, has its own rate limit and logs every call with its answer. Brands manage
 * hooks at {@code /v1/incoming-webhooks}.
 *
 * <p>
 * The module acts through other modules' public APIs (the ledger, identity, the Discord
 * API client) and announces what it did ({@link bot.resonance.incoming.CurrencyAdded});
 * nothing calls into it.
 */
@ApplicationModule(displayName = "Incoming webhooks",
		allowedDependencies = { "discordapi", "discord", "brands", "identity", "ledger", "platform" })
@NullMarked
package bot.resonance.incoming;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
