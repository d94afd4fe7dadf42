package bot.resonance.rewards.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import bot.resonance.rewards.EventView;
import bot.resonance.rewards.RecordedEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of recorded events and members' reward state for the management API. */
@Component
public class EventQueries {

	private static final String COLUMNS = """
			id, event_type, user_id, server_id, amount, amount_awarded, balance_after, currency, outcome, error_code,
			error_message, pending_reason, process_after, metadata::text as metadata, source, received_at, processed_at""";

	private final JdbcClient jdbc;

	EventQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<EventView> event(String brandId, String eventId) {
		return this.jdbc.sql("select " + COLUMNS + " from reward_events where brand_id = :brand and id = :id")
			.param("brand", brandId)
			.param("id", eventId)
			.query(EventQueries::view)
			.optional();
	}

	/** A member's events, newest first, older than {@code startingAfter} if given. */
	public List<EventView> memberEvents(String brandId, long memberId, @Nullable String startingAfter, int limit) {
		return this.jdbc.sql("""
				select %s from reward_events
				where brand_id = :brand and member_id = :member and (:after::text is null or id < :after::text)
				order by id desc
				limit :limit
				""".formatted(COLUMNS))
			.param("brand", brandId)
			.param("member", memberId)
			.param("after", startingAfter)
			.param("limit", limit)
			.query(EventQueries::view)
			.list();
	}

	/**
	 * The brand's rejected events among its {@code window} most recent events, newest
	 * first, at most {@code limit}. Bounded by {@code window} so that it reads the newest
	 * rows of the primary key only, however long the brand's history and however rare its
	 * rejections.
	 */
	public List<EventView> recentRejected(String brandId, int window, int limit) {
		return this.jdbc.sql("""
				select %s from (
				    select * from reward_events where brand_id = :brand order by id desc limit :window
				) latest
				where outcome = 'rejected'
				order by id desc
				limit :limit
				""".formatted(COLUMNS))
			.param("brand", brandId)
			.param("window", window)
			.param("limit", limit)
			.query(EventQueries::view)
			.list();
	}

	/**
	 * The {@code limit} events of a member just newer than {@code endingBefore}, newest
	 * first.
	 */
	public List<EventView> memberEventsNewer(String brandId, long memberId, String endingBefore, int limit) {
		return this.jdbc.sql("""
				select * from (
				    select %s from reward_events
				    where brand_id = :brand and member_id = :member and id > :before
				    order by id
				    limit :limit
				) newer
				order by id desc
				""".formatted(COLUMNS))
			.param("brand", brandId)
			.param("member", memberId)
			.param("before", endingBefore)
			.param("limit", limit)
			.query(EventQueries::view)
			.list();
	}

	public List<TypeToday> typeStates(String brandId, long memberId) {
		return this.jdbc.sql("""
				select event_type, last_awarded_at, day, day_count from reward_member_type_state
				where brand_id = :brand and member_id = :member order by event_type
				""")
			.param("brand", brandId)
			.param("member", memberId)
			.query((rs, row) -> new TypeToday(rs.getString("event_type"),
					rs.getObject("last_awarded_at", OffsetDateTime.class).toInstant(),
					rs.getObject("day", LocalDate.class), rs.getInt("day_count")))
			.list();
	}

	public long pendingCount(String brandId, long memberId) {
		return this.jdbc
			.sql("""
					select count(*) from reward_events where brand_id = :brand and member_id = :member and outcome = 'pending'
					""")
			.param("brand", brandId)
			.param("member", memberId)
			.query(Long.class)
			.single();
	}

	public record TypeToday(String eventType, Instant lastAwardedAt, LocalDate day, int dayCount) {
	}

	/** What became of the given events of a brand, those that were recorded. */
	public Map<String, RecordedEvent> recorded(String brandId, Collection<String> eventIds) {
		Map<String, RecordedEvent> found = new HashMap<>();
		this.jdbc.sql("""
				select id, member_id, amount_awarded, currency, outcome, process_after from reward_events
				where brand_id = :brand and id = any(:ids::text[])
				""")
			.param("brand", brandId)
			.param("ids", eventIds.toArray(String[]::new))
			.query((rs, row) -> found.put(rs.getString("id"),
					new RecordedEvent(rs.getString("id"), (Long) rs.getObject("member_id"),
							rs.getLong("amount_awarded"), rs.getString("currency"), rs.getString("outcome"),
							instant(rs, "process_after"))))
			.list();
		return found;
	}

	private static EventView view(ResultSet rs, int row) throws SQLException {
		String code = rs.getString("error_code");
		return new EventView(rs.getString("id"), rs.getString("event_type"), rs.getString("user_id"),
				rs.getString("server_id"), (Long) rs.getObject("amount"), rs.getLong("amount_awarded"),
				(Long) rs.getObject("balance_after"), rs.getString("currency"), rs.getString("outcome"),
				(code != null) ? new EventView.Error(code, rs.getString("error_message")) : null,
				rs.getString("pending_reason"), instant(rs, "process_after"), rs.getString("metadata"),
				rs.getString("source"), instant(rs, "received_at"), instant(rs, "processed_at"));
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}
