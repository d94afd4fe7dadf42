/**
 * What recorded events come to ({@link bot.resonance.rewards.EventStatistics}), read by
 * the analytics module: aggregates of the recorded events ({@code reward_stats_hourly},
 * {@code reward_member_activity} per member and day, week of the month and month,
 * {@code reward_active_members}), into which {@link StatisticsChanges} folds what each
 * batch of events records after its commit, and before anything reads them, so they are
 * exact and cost the same however long the history; and the recurring job that rolls days
 * up into weeks and months ({@code reward_rollups}).
 */
@NullMarked
package bot.resonance.rewards.internal.statistics;

import org.jspecify.annotations.NullMarked;
