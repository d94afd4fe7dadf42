package bot.resonance.discord.internal;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.platform.cluster.ClusterCache;
import bot.resonance.platform.cluster.ClusterSignals;
import bot.resonance.platform.db.TransactionLocks;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The SQL of {@code /checkin}: brands' streak settings and members' streaks. */
@Component
class CheckinRepository {

	static final String SETTINGS_CHANNEL = "resonance_checkin_settings_changed";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final TransactionTemplate transactions;

	/** Each brand's settings as last read, forgotten on every node when they change. */
	private final ClusterCache<CheckinSettings> settings;

	CheckinRepository(JdbcClient jdbc, JsonMapper json, PlatformTransactionManager transactions,
			ClusterSignals signals) {
		this.jdbc = jdbc;
		this.json = json;
		this.transactions = new TransactionTemplate(transactions);
		this.settings = new ClusterCache<>(signals, SETTINGS_CHANNEL, 100_000, Duration.ofMinutes(5));
	}

	/**
	 * The brand's settings, the defaults if it changed none (read once, then kept until
	 * they change).
	 */
	CheckinSettings settings(String brandId) {
		return this.settings.get(brandId, () -> readSettings(brandId));
	}

	/**
	 * Changes the brand's settings: {@code change} gets the settings in force and returns
	 * the new ones (or throws, changing nothing). Changes of one brand are serialized, so
	 * concurrent partial updates never lose each other's fields; every node forgets its
	 * copy when the change commits.
	 */
	CheckinSettings change(String brandId, UnaryOperator<CheckinSettings> change, Instant now) {
		return this.transactions.execute((status) -> {
			TransactionLocks.lock(this.jdbc, "resonance:checkin-settings:" + brandId);
			CheckinSettings changed = change.apply(readSettings(brandId));
			saveSettings(brandId, changed, now);
			this.settings.evictEverywhere(brandId);
			return changed;
		});
	}

	private CheckinSettings readSettings(String brandId) {
		return this.jdbc.sql("select grace_hours, bonuses::text from discord_checkin_settings where brand_id = :brand")
			.param("brand", brandId)
			.query((rs, row) -> new CheckinSettings(rs.getInt(1), bonuses(rs.getString(2))))
			.optional()
			.orElse(CheckinSettings.DEFAULTS);
	}

	private void saveSettings(String brandId, CheckinSettings settings, Instant now) {
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
