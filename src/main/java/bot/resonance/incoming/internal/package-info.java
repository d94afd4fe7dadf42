/**
 * Incoming webhooks: URLs ({@code POST /hooks/{brand_id}/{hook_id}}) that a brand's other
 * services call, signed the Standard Webhooks way with the hook's secret
 * ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}; the timeless
 * {@code X-Signature} only for hooks that opt in), to make the bot act: add or remove
 * currency ({@code currency.add}), assign a role ({@code role.assign}), post a message
 * ({@code message.post}). Each hook allows chosen actions, has its own rate limit, logs
 * every call with its answer, and replays the answer of a repeated {@code webhook-id} or
 * {@code X-Idempotency-Key}. Brands manage hooks at {@code /v1/incoming-webhooks}.
 */
@NullMarked
package bot.resonance.incoming.internal;

import org.jspecify.annotations.NullMarked;
