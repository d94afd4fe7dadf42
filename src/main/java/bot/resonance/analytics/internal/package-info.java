/**
 * {@code GET /v1/analytics/summary} and {@code GET /v1/analytics/top-members}: the range
 * rules, the folding of the rewards module's figures by outcome, event type and bucket,
 * and the members' names.
 */
@NullMarked
package bot.resonance.analytics.internal;

import org.jspecify.annotations.NullMarked;
