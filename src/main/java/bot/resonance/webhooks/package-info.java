/**
 * Webhooks: brands' endpoints, the signed messages Resonance sends them, and their
 * delivery with retries. The module is a sink: it listens to what other modules announce
 * (rewards recorded, affiliate payouts, currency added by incoming webhooks, rewards
 * reversed, ...) and turns each into catalogue events; nothing calls into it. Messages
 * are written to an outbox in the transaction that made the announced change; workers on
 * every node claim due deliveries, send them signed both ways (the {@code X-Signature} of
 * the bot webhook documentation and Standard Webhooks), retry failures on a schedule and
 * give up (DEAD) after the last attempt. Brands manage endpoints at {@code /v1/webhooks}.
 */
@ApplicationModule(displayName = "Webhooks",
		allowedDependencies = { "incoming", "affiliates", "rewards", "brands", "identity", "ledger", "network",
				"platform" })
@NullMarked
package bot.resonance.webhooks;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
