package bot.resonance.rewards.internal;

import bot.resonance.identity.MembersMerged;
import bot.resonance.rewards.internal.statistics.StatisticsChanges;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * When two members merge, the absorbed member's reward state follows the survivor, in the
 * merge's transaction: rule state (cooldowns and today's counts), event history and the
 * analytics' per-member days.
 */
@Component
class MergedMemberRewards {

	private final JdbcClient jdbc;

	private final StatisticsChanges statistics;

	MergedMemberRewards(JdbcClient jdbc, StatisticsChanges statistics) {
		this.jdbc = jdbc;
		this.statistics = statistics;
	}

	@EventListener
	void on(MembersMerged merged) {
		String brandId = merged.brandId();
		long survivor = merged.survivor().id();
		long absorbed = merged.absorbed().id();
		this.jdbc
			.sql("""
					insert into reward_member_type_state as s (brand_id, member_id, event_type, last_awarded_at, day, day_count)
					select brand_id, :survivor, event_type, last_awarded_at, day, day_count
					from reward_member_type_state where brand_id = :brand and member_id = :absorbed
					on conflict (brand_id, member_id, event_type) do update set
					    last_awarded_at = greatest(s.last_awarded_at, excluded.last_awarded_at),
					    day = greatest(s.day, excluded.day),
					    day_count = case when s.day = excluded.day then s.day_count + excluded.day_count
					                     when excluded.day > s.day then excluded.day_count
					                     else s.day_count end
					""")
			.param("brand", brandId)
			.param("survivor", survivor)
			.param("absorbed", absorbed)
			.update();
		this.jdbc.sql("delete from reward_member_type_state where brand_id = :brand and member_id = :absorbed")
			.param("brand", brandId)
			.param("absorbed", absorbed)
			.update();
		// The analytics' per-member days follow the history. First, what event batches
		// recorded is folded in (the brand's lock keeps the brand's batches out until
		// the merge commits, the folds' lock other folds). The days are those of the
		// absorbed member's events, found through their index (reward_member_activity
		// has none by member, which would cost every event batch), and those of its
		// events pruned since (noted by the event pruner). A day where both were active
		// loses one active member; the weeks and months of those days are rolled up
		// again.
		this.statistics.foldInThisTransaction();
		this.jdbc.sql("""
				with days as (
				    select (received_at at time zone 'UTC')::date as day
				    from reward_events where brand_id = :brand and member_id = :absorbed
				    union
				    select unnest(days) from reward_pruned_member_days where brand_id = :brand and member_id = :absorbed
				), moved as (
				    delete from reward_member_activity a using days
				    where a.brand_id = :brand and a.span = 'day' and a.start = days.day and a.member_id = :absorbed
				    returning a.start, a.currency, a.events, a.awarded
				), shared as (
				    update reward_active_members c set members = c.members - 1
				    from (select distinct start from moved) m
				    where c.brand_id = :brand and c.span = 'day' and c.start = m.start
				      and exists (select 1 from reward_member_activity a
				                  where a.brand_id = :brand and a.span = 'day' and a.start = m.start
				                    and a.member_id = :survivor)
				), stale_rollups as (
				    delete from reward_rollups r
				    using (select distinct p.span, p.start from days cross join lateral reward_periods(days.day) p) s
				    where r.brand_id = :brand and r.span = s.span and r.start = s.start
				)
				insert into reward_member_activity as s (brand_id, span, start, member_id, currency, events, awarded)
				select :brand, 'day', start, :survivor, currency, events, awarded from moved
				order by start, currency
				on conflict (brand_id, span, start, member_id, currency) do update
				set events = s.events + excluded.events, awarded = s.awarded + excluded.awarded
				""").param("brand", brandId).param("survivor", survivor).param("absorbed", absorbed).update();
		this.jdbc
			.sql("update reward_events set member_id = :survivor where brand_id = :brand and member_id = :absorbed")
			.param("brand", brandId)
			.param("survivor", survivor)
			.param("absorbed", absorbed)
			.update();
		this.jdbc.sql("""
				with absorbed as (
				    delete from reward_pruned_member_days where brand_id = :brand and member_id = :absorbed
				    returning days
				)
				insert into reward_pruned_member_days as p (brand_id, member_id, days)
				select :brand, :survivor, days from absorbed
				on conflict (brand_id, member_id) do update
				set days = array(select distinct d from unnest(p.days || excluded.days) d order by d)
				""").param("brand", brandId).param("survivor", survivor).param("absorbed", absorbed).update();
	}

}
