package bot.resonance.discord.internal;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL of {@code /checkin}: brands' streak settings and members' streaks. */
@Component
class CheckinRepository {

	private final JdbcClient jdbc;

	private final JsonMapper json;

	CheckinRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/** The brand's settings, the defaults if it changed none. */
	CheckinSettings settings(String brandId) {
		return this.jdbc.sql("select grace_hours, bonuses::text from discord_checkin_settings where brand_id = :brand")
			.param("brand", brandId)
			.query((rs, row) -> new CheckinSettings(rs.getInt(1), bonuses(rs.getString(2))))
			.optional()
			.orElse(CheckinSettings.DEFAULTS);
	}

	void saveSettings(String brandId, CheckinSettings settings, Instant now) {
		List<Map<String, Object>> bonuses = new ArrayList<>();
		for (CheckinSettings.Bonus bonus : settings.bonuses()) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("every_days", bonus.everyDays());
			item.put("multiplier", bonus.multiplier());
			bonuses.add(item);
		}
		this.jdbc.sql("""
				insert into discord_checkin_settings (brand_id, grace_hours, bonuses, updated_at)
				values (:brand, :grace, cast(:bonuses as jsonb), :now)
				on conflict (brand_id) do update
				set grace_hours = excluded.grace_hours, bonuses = excluded.bonuses, updated_at = excluded.updated_at
				""")
			.param("brand", brandId)
			.param("grace", settings.graceHours())
			.param("bonuses", this.json.writeValueAsString(bonuses))
			.param("now", utc(now))
			.update();
	}

	private List<CheckinSettings.Bonus> bonuses(String stored) {
		List<CheckinSettings.Bonus> bonuses = new ArrayList<>();
		for (JsonNode item : this.json.readTree(stored)) {
			bonuses.add(new CheckinSettings.Bonus(item.path("every_days").asInt(),
					CheckinSettings.normal(new BigDecimal(item.path("multiplier").asString()))));
		}
		return bonuses;
	}

	Optional<CheckinStreak> streak(String brandId, long memberId) {
		return this.jdbc.sql("""
				select current_streak, best_streak, last_day from discord_checkin_streaks
				where brand_id = :brand and member_id = :member
				""")
			.param("brand", brandId)
			.param("member", memberId)
			.query((rs, row) -> new CheckinStreak(rs.getInt(1), rs.getInt(2), rs.getDate(3).toLocalDate()))
			.optional();
	}

	/**
	 * Moves the member's streak from {@code previous} to {@code next}, unless it is no
	 * longer {@code previous} (another check-in moved it first): a compare-and-set, so a
	 * check-in is never counted twice.
	 * @return whether it moved
	 */
	boolean advance(String brandId, long memberId, @Nullable CheckinStreak previous, CheckinStreak next, Instant now) {
		if (previous == null) {
			return this.jdbc.sql("""
					insert into discord_checkin_streaks
					    (brand_id, member_id, current_streak, best_streak, last_day, updated_at)
					values (:brand, :member, :current, :best, :day, :now)
					on conflict (brand_id, member_id) do nothing
					""")
				.param("brand", brandId)
				.param("member", memberId)
				.param("current", next.current())
				.param("best", next.best())
				.param("day", Date.valueOf(next.lastDay()))
				.param("now", utc(now))
				.update() == 1;
		}
		return this.jdbc.sql("""
				update discord_checkin_streaks
				set current_streak = :current, best_streak = :best, last_day = :day, updated_at = :now
				where brand_id = :brand and member_id = :member
				  and current_streak = :previousCurrent and best_streak = :previousBest and last_day = :previousDay
				""")
			.param("brand", brandId)
			.param("member", memberId)
			.param("current", next.current())
			.param("best", next.best())
			.param("day", Date.valueOf(next.lastDay()))
			.param("now", utc(now))
			.param("previousCurrent", previous.current())
			.param("previousBest", previous.best())
			.param("previousDay", Date.valueOf(previous.lastDay()))
			.update() == 1;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
