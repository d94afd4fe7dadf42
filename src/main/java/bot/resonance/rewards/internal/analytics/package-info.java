/**
 * Analytics for the brand: {@code GET /v1/analytics/summary} and
 * {@code GET /v1/analytics/top-members}, answered from aggregates the event pipeline
 * keeps in the transaction that records the events ({@code reward_stats_hourly},
 * {@code reward_member_activity} per member and day, week of the month and month,
 * {@code reward_active_members}), so they are exact and cost the same however long the
 * history.
 */
@NullMarked
package bot.resonance.rewards.internal.analytics;

import org.jspecify.annotations.NullMarked;
