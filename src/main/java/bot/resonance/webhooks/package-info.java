/**
 * Webhooks: brands' endpoints, the signed messages Resonance sends them, and their
 * delivery with retries. Messages are written to an outbox in the same transaction as the
 * change that caused them; workers on every node claim due deliveries, send them signed
 * both ways (the {@code X-Signature} of the bot webhook documentation and Standard
 * Webhooks), retry failures on a schedule and give up (DEAD) after the last attempt.
 *
 * <p>
 * Other modules publish catalogue events with {@link bot.resonance.webhooks.Webhooks}.
 */
@ApplicationModule(displayName = "Webhooks")
@NullMarked
package bot.resonance.webhooks;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
