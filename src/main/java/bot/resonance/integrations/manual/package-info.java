/**
 * Manual events, as the integration guide documents them: {@code POST
 * /resonance-api/manual-event} with {@code {"event", "email", "metadata"}}, for backends
 * and web pages that know their customers by email, and {@code /resonance-api/debug} to
 * check a set-up. The brand is named by header, field, query or the request's
 * {@code Origin}; events are signed like {@code /v1/events} unless the brand accepts
 * unsigned ones (from its own domains, capped); browsers may call from the brand's
 * domains (CORS). Events go through {@link bot.resonance.rewards.RewardEvents}, the same
 * pipeline, rules and ledger as every other door, and are answered like the event API.
 */
@NullMarked
package bot.resonance.integrations.manual;

import org.jspecify.annotations.NullMarked;
