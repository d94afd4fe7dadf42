package bot.resonance.rewards.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.platform.db.BrandLock;
import bot.resonance.rewards.internal.statistics.StatisticsChanges;
import bot.resonance.platform.jobs.Jobs;
import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Race;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import bot.resonance.rewards.internal.ingest.PendingEvents;

/**
 * {@code /v1/analytics}: every number of the summary and the top members, after real
 * signed events (awards, cooldowns, disabled types, pending events processed after
 * midnight), their hour and day buckets, the range rules, and the aggregates against a
 * brute-force count of the recorded events after a race.
 */
@IntegrationTest
class AnalyticsIntegrationTests extends IntegrationTestSupport {

	@Autowired
	PendingEvents pendingEvents;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ApplicationContext context;

	/** The start of a UTC day still ahead of the shared clock. */
	private Instant comingDay() {
		return LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC)
			.plusDays(1)
			.atStartOfDay(ZoneOffset.UTC)
			.toInstant();
	}

	private TestBrand questBrand() {
		TestBrand brand = brandWith(10_000, "message", Map.of("amount", 5, "cooldown_seconds", 60));
		this.client.eventType(brand, "quest", Map.of("enabled", true, "amount", 50, "daily_limit", 1));
		this.client.eventType(brand, "spam", Map.of("enabled", false, "amount", 1));
		return brand;
	}

	@Test
	void theSummaryCountsEveryOutcomeByTypeHourAndDayAndFollowsPendingEvents() {
		TestBrand brand = questBrand();
		String currency = this.client.get(brand, "/v1/wallet").text("currency");
		String a = newUserId();
		String b = newUserId();
		String c = newUserId();
		Instant day = comingDay();
		Instant next = day.plus(Duration.ofDays(1));

		this.clock.freezeAt(day.plus(Duration.ofMinutes(22 * 60 + 10)));
		assertThat(this.client.event(brand, "message", a).text("status")).isEqualTo("awarded");
		assertThat(this.client.event(brand, "message", a).errorCode()).isEqualTo("COOLDOWN_ACTIVE");
		assertThat(this.client.event(brand, "quest", a).text("status")).isEqualTo("awarded");
		ApiResponse pendingOfA = this.client.event(brand, "quest", a);
		assertThat(pendingOfA.text("status")).isEqualTo("pending");
		assertThat(this.client.event(brand, "message", b).text("status")).isEqualTo("awarded");
		assertThat(this.client.event(brand, "spam", b).errorCode()).isEqualTo("EVENT_DISABLED");

		this.clock.freezeAt(day.plus(Duration.ofMinutes(23 * 60 + 20)));
		assertThat(this.client.event(brand, "message", a).text("status")).isEqualTo("awarded");
		assertThat(this.client.event(brand, "quest", c).text("status")).isEqualTo("awarded");
		assertThat(this.client.event(brand, "quest", c).text("status")).isEqualTo("pending");
		assertThat(this.client.event(brand, "nope", c).errorCode()).isEqualTo("EVENT_DISABLED");

		JsonNode summary = summary(brand, "from=" + day + "&to=" + next);
		assertThat(summary.get("from").asString()).isEqualTo(day.toString());
		assertThat(summary.get("to").asString()).isEqualTo(next.toString());
		assertThat(summary.get("granularity").asString()).isEqualTo("day");
		JsonNode totals = summary.get("totals");
		assertCounts(totals, 10, 5, 2, 3);
		assertThat(map(totals.get("rejected_by_code"))).containsExactly(Map.entry("COOLDOWN_ACTIVE", 1L),
				Map.entry("EVENT_DISABLED", 2L));
		assertThat(map(totals.get("amount_awarded"))).containsExactly(Map.entry(currency, 115L));
		// B's only other event was refused before a member was known; C's "nope" too.
		assertThat(totals.get("unique_members").asLong()).isEqualTo(3);
		assertThat(totals.get("new_members").asLong()).isEqualTo(3);

		JsonNode types = summary.get("by_event_type");
		assertThat(types).hasSize(4);
		assertThat(types.get(0).get("event_type").asString()).isEqualTo("message");
		assertCounts(types.get(0), 4, 3, 0, 1);
		assertThat(map(types.get(0).get("rejected_by_code"))).containsExactly(Map.entry("COOLDOWN_ACTIVE", 1L));
		assertThat(map(types.get(0).get("amount_awarded"))).containsExactly(Map.entry(currency, 15L));
		assertThat(types.get(1).get("event_type").asString()).isEqualTo("nope");
		assertCounts(types.get(1), 1, 0, 0, 1);
		assertThat(map(types.get(1).get("amount_awarded"))).isEmpty();
		assertThat(types.get(2).get("event_type").asString()).isEqualTo("quest");
		assertCounts(types.get(2), 4, 2, 2, 0);
		assertThat(map(types.get(2).get("rejected_by_code"))).isEmpty();
		assertThat(map(types.get(2).get("amount_awarded"))).containsExactly(Map.entry(currency, 100L));
		assertThat(types.get(3).get("event_type").asString()).isEqualTo("spam");
		assertCounts(types.get(3), 1, 0, 0, 1);
		assertThat(map(types.get(3).get("rejected_by_code"))).containsExactly(Map.entry("EVENT_DISABLED", 1L));

		JsonNode series = summary.get("series");
		assertThat(series).hasSize(1);
		assertThat(series.get(0).get("start").asString()).isEqualTo(day.toString());
		assertCounts(series.get(0), 10, 5, 2, 3);
		assertThat(series.get(0).get("unique_members").asLong()).isEqualTo(3);
		assertThat(series.get(0).get("new_members").asLong()).isEqualTo(3);

		// Per hour: 22:00, 23:00 and an empty 00:00 of the next day.
		Instant ten = day.plus(Duration.ofHours(22));
		JsonNode hourly = summary(brand, "granularity=hour&from=" + ten + "&to=" + next.plus(Duration.ofHours(1)));
		assertThat(hourly.get("granularity").asString()).isEqualTo("hour");
		assertCounts(hourly.get("totals"), 10, 5, 2, 3);
		assertThat(hourly.get("totals").get("unique_members").isNull()).isTrue();
		JsonNode hours = hourly.get("series");
		assertThat(hours).hasSize(3);
		assertThat(hours.get(0).get("start").asString()).isEqualTo(ten.toString());
		assertCounts(hours.get(0), 6, 3, 1, 2);
		assertThat(map(hours.get(0).get("amount_awarded"))).containsExactly(Map.entry(currency, 60L));
		assertThat(hours.get(0).get("new_members").asLong()).isEqualTo(2);
		assertThat(hours.get(0).get("unique_members").isNull()).isTrue();
		assertThat(hours.get(1).get("start").asString()).isEqualTo(ten.plus(Duration.ofHours(1)).toString());
		assertCounts(hours.get(1), 4, 2, 1, 1);
		assertThat(map(hours.get(1).get("amount_awarded"))).containsExactly(Map.entry(currency, 55L));
		assertThat(hours.get(1).get("new_members").asLong()).isEqualTo(1);
		assertThat(hours.get(2).get("start").asString()).isEqualTo(next.toString());
		assertCounts(hours.get(2), 0, 0, 0, 0);
		assertThat(map(hours.get(2).get("amount_awarded"))).isEmpty();
		// Whole days at hour granularity give the unique members too.
		assertThat(summary(brand, "granularity=hour&from=" + day + "&to=" + next).get("totals")
			.get("unique_members")
			.asLong()).isEqualTo(3);

		// After midnight the pending events are awarded: they stay in the hour they were
		// received, now as awarded, as GET /v1/events shows them.
		this.clock.freezeAt(next.plusSeconds(30));
		assertThat(this.pendingEvents.processDue()).isGreaterThanOrEqualTo(2);
		assertThat(this.client.get(brand, "/v1/events/" + pendingOfA.text("event_id")).text("status"))
			.isEqualTo("awarded");
		JsonNode after = summary(brand, "granularity=hour&from=" + ten + "&to=" + next.plus(Duration.ofHours(1)));
		assertCounts(after.get("totals"), 10, 7, 0, 3);
		assertThat(map(after.get("totals").get("amount_awarded"))).containsExactly(Map.entry(currency, 215L));
		assertCounts(after.get("series").get(0), 6, 4, 0, 2);
		assertThat(map(after.get("series").get(0).get("amount_awarded"))).containsExactly(Map.entry(currency, 110L));
		assertCounts(after.get("series").get(1), 4, 3, 0, 1);
		assertThat(map(after.get("series").get(1).get("amount_awarded"))).containsExactly(Map.entry(currency, 105L));
		assertCounts(after.get("series").get(2), 0, 0, 0, 0);
		JsonNode quest = after.get("by_event_type").get(2);
		assertThat(quest.get("event_type").asString()).isEqualTo("quest");
		assertCounts(quest, 4, 4, 0, 0);
		JsonNode twoDays = summary(brand, "from=" + day + "&to=" + next.plus(Duration.ofDays(1)));
		assertThat(twoDays.get("series")).hasSize(2);
		assertCounts(twoDays.get("series").get(1), 0, 0, 0, 0);
		assertThat(twoDays.get("series").get(1).get("unique_members").asLong()).isZero();
		assertThat(twoDays.get("totals").get("unique_members").asLong()).isEqualTo(3);

		// Top members of the day: A (5 + 50 + 5 + 50, five events), C (50 + 50), B (5).
		JsonNode top = this.client.get(brand, "/v1/analytics/top-members?from=" + day + "&to=" + next).json();
		assertThat(top.get("currency").asString()).isEqualTo(currency);
		assertThat(top.get("from").asString()).isEqualTo(day.toString());
		JsonNode data = top.get("data");
		assertThat(data).hasSize(3);
		assertMember(data.get(0), a, 110, 5);
		assertMember(data.get(1), c, 100, 2);
		assertMember(data.get(2), b, 5, 1);
		assertThat(data.get(0).get("member_id").asString())
			.isEqualTo(this.client.get(brand, "/v1/members/" + a).text("member_id"));
		assertThat(this.client.get(brand, "/v1/analytics/top-members?limit=2&from=" + day + "&to=" + next)
			.json()
			.get("data")).hasSize(2);
		// A day with nothing: nobody.
		assertThat(this.client
			.get(brand, "/v1/analytics/top-members?from=" + next + "&to=" + next.plus(Duration.ofDays(1)))
			.json()
			.get("data")).isEmpty();
		assertMatchesRecordedEvents(brand);
	}

	@Test
	void aRollupWaitsForAChangeToItsDaysThatIsStillBeingWritten() throws Exception {
		TestBrand brand = brandWith(10_000, "message", Map.of("amount", 3));
		LocalDate day = LocalDate.ofInstant(comingDay(), ZoneOffset.UTC).plusDays(1);
		LocalDate weekEnd = new bot.resonance.rewards.internal.statistics.PeriodsForTests().weekEnd(day);
		LocalDate week = weekEnd.minusDays(1).minusDays((weekEnd.minusDays(1).getDayOfMonth() - 1) % 7);
		this.clock.freezeAt(day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600));
		this.client.event(brand, "message", newUserId());
		this.clock.freezeAt(weekEnd.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(2)));

		// A writer of the brand's days (as a member merge does) holds the brand's lock
		// and
		// has changed a day of the week, not committed yet, when the rollup starts: the
		// rollup must count the change.
		this.context.getBean(StatisticsChanges.class).fold();
		CountDownLatch changed = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		TransactionTemplate transaction = new TransactionTemplate(
				this.context.getBean(PlatformTransactionManager.class));
		ExecutorService threads = Executors.newFixedThreadPool(2);
		Future<?> writer = threads.submit(() -> transaction.executeWithoutResult((status) -> {
			this.context.getBean(BrandLock.class).lock(brand.brandId());
			this.jdbc.sql("""
					update reward_member_activity set awarded = awarded + 7
					where brand_id = :brand and span = 'day' and start = :day and currency <> ''
					""").param("brand", brand.brandId()).param("day", day).update();
			changed.countDown();
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}));
		changed.await();
		Future<Integer> rollup = threads.submit(this::rollUp);
		// The rollup waits for the brand's lock; only then does the writer commit.
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> this.jdbc.sql("""
				select count(*) from pg_stat_activity
				where wait_event_type = 'Lock' and wait_event = 'advisory' and datname = current_database()
				""").query(Long.class).single() > 0);
		assertThat(rollup).isNotDone();
		release.countDown();
		writer.get();
		rollup.get();
		threads.shutdown();
		assertThat(this.jdbc.sql("""
				select awarded from reward_member_activity
				where brand_id = :brand and span = 'week' and start = :week and currency <> ''
				""").param("brand", brand.brandId()).param("week", week).query(Long.class).single()).isEqualTo(3 + 7);
		assertThat(this.jdbc.sql("""
				select state from reward_rollups where brand_id = :brand and span = 'week' and start = :week
				""").param("brand", brand.brandId()).param("week", week).query(String.class).single())
			.isEqualTo("ready");
	}

	@Test
	void theRollupRunsAsARecurringJob() {
		TestBrand brand = brandWith(10_000, "message", Map.of("amount", 3));
		LocalDate day = LocalDate.ofInstant(comingDay(), ZoneOffset.UTC).plusDays(1);
		LocalDate weekEnd = new bot.resonance.rewards.internal.statistics.PeriodsForTests().weekEnd(day);
		LocalDate week = weekEnd.minusDays(1).minusDays((weekEnd.minusDays(1).getDayOfMonth() - 1) % 7);
		this.clock.freezeAt(day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600));
		this.client.event(brand, "message", newUserId());
		Instant now = weekEnd.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(2));
		this.clock.freezeAt(now);

		// The cluster's one rollup job waits for its next interval (years away in these
		// tests); bring it forward and run it as any node's job loop would.
		assertThat(this.jdbc.sql("update jobs set due_at = :now where queue = 'reward-rollups' and key = 'recurring'")
			.param("now", now.atOffset(ZoneOffset.UTC))
			.update()).isEqualTo(1);
		this.context.getBean(Jobs.class).runDue("reward-rollups");

		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> this.jdbc.sql("""
				select count(*) from reward_rollups where brand_id = :brand and span = 'week' and start = :week
				  and state = 'ready'
				""").param("brand", brand.brandId()).param("week", week).query(Long.class).single() == 1);
		assertThat(this.jdbc.sql("""
				select awarded from reward_member_activity
				where brand_id = :brand and span = 'week' and start = :week and currency <> ''
				""").param("brand", brand.brandId()).param("week", week).query(Long.class).single()).isEqualTo(3);
		// Done for this interval: the job waits for its next one, alive.
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> this.jdbc.sql("""
				select count(*) from jobs
				where queue = 'reward-rollups' and key = 'recurring' and due_at > :now and dead_at is null
				""").param("now", now.atOffset(ZoneOffset.UTC)).query(Long.class).single() == 1);
	}

	@Test
	void defaultsCoverTheLastDaysUpToTheEndOfToday() {
		TestBrand brand = questBrand();
		Instant now = this.clock.freeze();
		Instant endOfToday = LocalDate.ofInstant(now, ZoneOffset.UTC)
			.plusDays(1)
			.atStartOfDay(ZoneOffset.UTC)
			.toInstant();
		this.client.event(brand, "message", newUserId());

		JsonNode summary = summary(brand, "");
		assertThat(summary.get("granularity").asString()).isEqualTo("day");
		assertThat(summary.get("to").asString()).isEqualTo(endOfToday.toString());
		assertThat(summary.get("from").asString()).isEqualTo(endOfToday.minus(Duration.ofDays(7)).toString());
		assertThat(summary.get("series")).hasSize(7);
		assertCounts(summary.get("series").get(6), 1, 1, 0, 0);
		assertThat(summary.get("totals").get("unique_members").asLong()).isEqualTo(1);

		JsonNode hourly = summary(brand, "granularity=hour");
		Instant endOfHour = now.truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(Duration.ofHours(1));
		assertThat(hourly.get("to").asString()).isEqualTo(endOfHour.toString());
		assertThat(hourly.get("series")).hasSize(24);
		assertCounts(hourly.get("series").get(23), 1, 1, 0, 0);

		JsonNode top = this.client.get(brand, "/v1/analytics/top-members").json();
		assertThat(top.get("to").asString()).isEqualTo(endOfToday.toString());
		assertThat(top.get("from").asString()).isEqualTo(endOfToday.minus(Duration.ofDays(30)).toString());
		assertThat(top.get("data")).hasSize(1);
		// Dates stand for their UTC midnight.
		LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		assertThat(summary(brand, "from=" + today + "&to=" + today.plusDays(1)).get("totals").get("events").asLong())
			.isEqualTo(1);
	}

	@Test
	void topMembersRanksTheNetworkCurrencyTheBrandPays() {
		TestBrand brand = brandWith(10_000, "message", Map.of("amount", 5));
		ApiResponse funded = this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/wallet/credits",
				"{\"amount\": 1000, \"currency\": \"RSNC\"}");
		assertThat(funded.status()).as(funded.toString()).isEqualTo(201);
		this.client.eventType(brand, "quest", Map.of("enabled", true, "amount", 30, "currency", "RSNC"));
		String earner = newUserId();
		this.client.event(brand, "quest", earner);
		this.client.event(brand, "message", newUserId());

		ApiResponse ranked = this.client.get(brand, "/v1/analytics/top-members?currency=RSNC");
		assertThat(ranked.status()).as(ranked.toString()).isEqualTo(200);
		assertThat(ranked.json().get("currency").asString()).isEqualTo("RSNC");
		assertThat(ranked.json().get("data")).hasSize(1);
		assertThat(ranked.json().at("/data/0/user_id").asString()).isEqualTo(earner);
		assertThat(ranked.json().at("/data/0/amount_awarded").asLong()).isEqualTo(30);
		assertInvalid(brand, "/v1/analytics/top-members?currency=NOPE", "currency");
	}

	@Test
	void rangesAndParametersAreChecked() {
		TestBrand brand = questBrand();
		Instant day = comingDay();
		assertInvalid(brand, "/v1/analytics/summary?from=yesterday", "from");
		assertInvalid(brand, "/v1/analytics/summary?to=2026-13-01T00:00:00Z", "to");
		assertInvalid(brand, "/v1/analytics/summary?from=" + day + "&to=" + day, "from");
		assertInvalid(brand, "/v1/analytics/summary?from=" + day.plus(Duration.ofDays(1)) + "&to=" + day, "from");
		assertInvalid(brand,
				"/v1/analytics/summary?from=" + day.plusSeconds(3600) + "&to=" + day.plus(Duration.ofDays(1)), "from");
		assertInvalid(brand, "/v1/analytics/summary?granularity=hour&from=" + day.plusSeconds(60), "from");
		assertInvalid(brand, "/v1/analytics/summary?granularity=week", "granularity");
		assertInvalid(brand,
				"/v1/analytics/summary?granularity=hour&from=" + day + "&to=" + day.plus(Duration.ofDays(32)), "to");
		assertInvalid(brand, "/v1/analytics/summary?from=" + day + "&to=" + day.plus(Duration.ofDays(401)), "to");
		assertInvalid(brand, "/v1/analytics/summary?from=1970-01-01", "from");
		assertInvalid(brand, "/v1/analytics/top-members?limit=0", "limit");
		assertInvalid(brand, "/v1/analytics/top-members?limit=101", "limit");
		assertInvalid(brand, "/v1/analytics/top-members?limit=ten", "limit");
		assertInvalid(brand, "/v1/analytics/top-members?limit=%2B5", "limit");
		assertInvalid(brand, "/v1/analytics/top-members?limit=%EF%BC%95", "limit");
		assertInvalid(brand, "/v1/analytics/top-members?currency=NOPE", "currency");
		assertInvalid(brand, "/v1/analytics/top-members?from=" + day.plusSeconds(3600), "from");
		// The longest ranges are fine.
		assertThat(this.client.get(brand, "/v1/analytics/summary?from=" + day + "&to=" + day.plus(Duration.ofDays(400)))
			.json()
			.get("series")).hasSize(400);
		assertThat(
				this.client
					.get(brand,
							"/v1/analytics/summary?granularity=hour&from=" + day + "&to="
									+ day.plus(Duration.ofDays(31)))
					.json()
					.get("series"))
			.hasSize(31 * 24);
		// Any zone offset names the same instant.
		String inParis = day.atOffset(ZoneOffset.ofHours(2)).toString().replace("+", "%2B");
		assertThat(summary(brand, "from=" + inParis + "&to=" + day.plus(Duration.ofDays(1))).get("from").asString())
			.isEqualTo(day.toString());
		// The API key is required.
		assertThat(this.client.send("GET", "/v1/analytics/summary", null, Map.of()).status()).isEqualTo(401);
	}

	@Test
	void theAggregatesEqualABruteForceCountAfterARaceAPendingRoundAndAMerge() {
		TestBrand brand = brandWith(100_000, "message", Map.of("amount", 3, "max_amount", 1_000));
		this.client.eventType(brand, "quest", Map.of("enabled", true, "amount", 20, "daily_limit", 2));
		this.client.eventType(brand, "cooled", Map.of("enabled", true, "amount", 7, "cooldown_seconds", 3600));
		this.client.eventType(brand, "spam", Map.of("enabled", false, "amount", 1));
		List<String> users = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			users.add(newUserId());
		}
		Instant day = comingDay();
		this.clock.freezeAt(day.plus(Duration.ofHours(23)).plusSeconds(59 * 60));
		String[] types = { "message", "quest", "cooled", "spam", "unknown_type" };
		// Sixteen senders, and two threads folding the recorded changes into the
		// aggregates while they send (each change is folded once).
		StatisticsChanges statistics = this.context.getBean(StatisticsChanges.class);
		AtomicInteger sending = new AtomicInteger(16);
		Race.run(18, (thread) -> {
			if (thread >= 16) {
				while (sending.get() > 0) {
					statistics.fold();
				}
				return null;
			}
			Random random = new Random(thread);
			for (int i = 0; i < 12; i++) {
				String user = users.get(random.nextInt(users.size()));
				String type = types[random.nextInt(types.length)];
				Map<String, Object> fields = new HashMap<>(Map.of("event_type", type, "user_id", user));
				if (type.equals("message") && random.nextBoolean()) {
					fields.put("amount", 1 + random.nextInt(20));
				}
				if (random.nextInt(10) == 0) {
					fields.put("user_id", "not-a-discord-id");
				}
				this.client.event(brand, fields);
			}
			sending.decrementAndGet();
			return null;
		});
		assertMatchesRecordedEvents(brand);

		// Into the next day: the pending events come due, some still over the limit.
		this.clock.freezeAt(day.plus(Duration.ofDays(1)).plusSeconds(5));
		this.pendingEvents.processDue();
		Race.run(4, (thread) -> this.client.event(brand, "quest", users.get(thread)));
		assertMatchesRecordedEvents(brand);

		// A merge moves one member's history to another, with events of both whose
		// changes are not folded yet.
		this.client.event(brand, "message", users.get(0));
		this.client.event(brand, "message", users.get(1));
		ApiResponse merged = this.client.api(brand, "POST", "/v1/members/" + users.get(0) + "/identities",
				"{\"kind\":\"discord\",\"value\":\"" + users.get(1) + "\"}");
		assertThat(merged.status()).isEqualTo(200);
		assertThat(merged.text("merged_from")).isNotNull();
		assertMatchesRecordedEvents(brand);
	}

	@Test
	void anyRangeOfDaysCountsEachMemberOnceAndRanksThemAsTheirEventsSay() {
		TestBrand brand = brandWith(1_000_000, "message", Map.of("amount", 3, "max_amount", 1_000));
		this.client.eventType(brand, "quest", Map.of("enabled", true, "amount", 20, "daily_limit", 1));
		List<String> users = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			users.add(newUserId());
		}
		// Some 80 days from the first of a month, across three month ends: the member
		// rows
		// of days, weeks and months and the active members of each, through pending
		// events
		// that come due days later and a merge.
		LocalDate first = LocalDate.ofInstant(comingDay(), ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1);
		Random random = new Random(7);
		for (int day = 0; day < 80; day += 1 + random.nextInt(3)) {
			this.clock.freezeAt(
					first.plusDays(day).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(random.nextInt(86_000)));
			this.pendingEvents.processDue();
			for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
				String user = users.get(random.nextInt(users.size()));
				if (random.nextBoolean()) {
					this.client.event(brand, "quest", user);
				}
				else {
					this.client.event(brand,
							Map.of("event_type", "message", "user_id", user, "amount", 1 + random.nextInt(50)));
				}
			}
			if (day == 40) {
				ApiResponse merged = this.client.api(brand, "POST", "/v1/members/" + users.get(0) + "/identities",
						"{\"kind\":\"discord\",\"value\":\"" + users.get(1) + "\"}");
				assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
			}
		}
		// Read by days only; then with the weeks and months that ended rolled up; then
		// after a pending event of a rolled-up week is paid and two more members merge
		// (which make their weeks and months count by days again); and rolled up anew.
		assertMatchesRecordedEvents(brand);
		assertRangesMatch(brand, random);
		assertThat(rollUp()).isGreaterThan(3);
		assertThat(this.jdbc.sql("select count(*) from reward_rollups where brand_id = :brand and state = 'ready'")
			.param("brand", brand.brandId())
			.query(Long.class)
			.single()).isGreaterThan(3);
		assertMatchesRecordedEvents(brand);
		assertRangesMatch(brand, random);

		// A quest over the daily limit late on a week's last day is paid the next day,
		// after
		// that week was rolled up: the week is read by its days until rolled up again.
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		LocalDate weekEnd = new bot.resonance.rewards.internal.statistics.PeriodsForTests().weekEnd(today.plusDays(1));
		this.clock.freezeAt(weekEnd.atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1800));
		this.pendingEvents.processDue();
		this.client.event(brand, "quest", users.get(5));
		this.client.event(brand, "quest", users.get(5));
		assertThat(this.jdbc.sql("select count(*) from reward_events where brand_id = :brand and outcome = 'pending'")
			.param("brand", brand.brandId())
			.query(Long.class)
			.single()).isPositive();
		this.clock.freezeAt(weekEnd.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(2)));
		assertThat(rollUp()).isPositive();
		String weekReady = "select count(*) from reward_rollups where brand_id = :brand and span = 'week' and start = :start and state = 'ready'";
		LocalDate lastWeek = weekEnd.minusDays(1).minusDays((weekEnd.minusDays(1).getDayOfMonth() - 1) % 7);
		assertThat(this.jdbc.sql(weekReady)
			.param("brand", brand.brandId())
			.param("start", lastWeek)
			.query(Long.class)
			.single()).isEqualTo(1);
		this.pendingEvents.processDue();
		this.context.getBean(StatisticsChanges.class).fold();
		assertThat(this.jdbc.sql(weekReady)
			.param("brand", brand.brandId())
			.param("start", lastWeek)
			.query(Long.class)
			.single()).as("invalidated by the paid quest, once folded in").isZero();
		ApiResponse merged = this.client.api(brand, "POST", "/v1/members/" + users.get(2) + "/identities",
				"{\"kind\":\"discord\",\"value\":\"" + users.get(3) + "\"}");
		assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
		assertMatchesRecordedEvents(brand);
		assertRangesMatch(brand, random);
		rollUp();
		assertMatchesRecordedEvents(brand);
		assertRangesMatch(brand, random);
	}

	private int rollUp() {
		Integer rolledUp = ReflectionTestUtils.invokeMethod(this.context.getBean("activityRollups"), "rollUp");
		return (rolledUp != null) ? rolledUp : 0;
	}

	/**
	 * Unique members (in all and per day) and top members of random ranges of days around
	 * the first 80 days from {@code first}, against counts of the recorded events.
	 */
	private void assertRangesMatch(TestBrand brand, Random random) {
		LocalDate first = this.jdbc.sql("""
				select min((received_at at time zone 'UTC')::date) from reward_events where brand_id = :brand
				""").param("brand", brand.brandId()).query(LocalDate.class).single();
		String currency = this.client.get(brand, "/v1/wallet").text("currency");
		for (int i = 0; i < 30; i++) {
			LocalDate from = first.plusDays(random.nextInt(85) - 3);
			LocalDate to = from.plusDays(1 + random.nextInt(70));
			String range = "from=" + from + "&to=" + to;
			JsonNode summary = summary(brand, range);
			assertThat(summary.get("totals").get("unique_members").asLong()).as(range)
				.isEqualTo(this.jdbc.sql("""
						select count(distinct member_id) from reward_events
						where brand_id = :brand and received_at >= :from and received_at < :to
						""")
					.param("brand", brand.brandId())
					.param("from", from.atStartOfDay().atOffset(ZoneOffset.UTC))
					.param("to", to.atStartOfDay().atOffset(ZoneOffset.UTC))
					.query(Long.class)
					.single());
			Map<String, Long> expectedDaily = new HashMap<>();
			this.jdbc.sql("""
					select (received_at at time zone 'UTC')::date as day, count(distinct member_id) as members
					from reward_events
					where brand_id = :brand and received_at >= :from and received_at < :to and member_id is not null
					group by 1
					""")
				.param("brand", brand.brandId())
				.param("from", from.atStartOfDay().atOffset(ZoneOffset.UTC))
				.param("to", to.atStartOfDay().atOffset(ZoneOffset.UTC))
				.query((rs, row) -> expectedDaily.put(rs.getObject("day", LocalDate.class) + "T00:00:00Z",
						rs.getLong("members")))
				.list();
			summary.get("series")
				.forEach((bucket) -> assertThat(bucket.get("unique_members").asLong())
					.as(range + " " + bucket.get("start").asString())
					.isEqualTo(expectedDaily.getOrDefault(bucket.get("start").asString(), 0L)));

			List<String> expectedTop = this.jdbc.sql("""
					select 'mem_' || member_id || ' ' || sum(amount_awarded) || ' ' || count(*)
					from reward_events
					where brand_id = :brand and received_at >= :from and received_at < :to and member_id is not null
					group by member_id having sum(amount_awarded) filter (where currency = :currency) > 0
					order by sum(amount_awarded) desc, count(*) desc, member_id
					""")
				.param("brand", brand.brandId())
				.param("from", from.atStartOfDay().atOffset(ZoneOffset.UTC))
				.param("to", to.atStartOfDay().atOffset(ZoneOffset.UTC))
				.param("currency", currency)
				.query(String.class)
				.list();
			List<String> top = new ArrayList<>();
			this.client.get(brand, "/v1/analytics/top-members?limit=100&" + range)
				.json()
				.get("data")
				.forEach((member) -> top.add(member.get("member_id").asString() + " "
						+ member.get("amount_awarded").asLong() + " " + member.get("events").asLong()));
			assertThat(top).as(range).containsExactlyElementsOf(expectedTop);
		}
	}

	/**
	 * The aggregate tables hold exactly what a count over the recorded events gives, and
	 * the endpoints answer it.
	 */
	private void assertMatchesRecordedEvents(TestBrand brand) {
		String brandId = brand.brandId();
		// The aggregates as any read of them sees them: with the changes recorded so far
		// folded in.
		this.context.getBean(StatisticsChanges.class).fold();
		List<String> expectedHours = this.jdbc
			.sql("""
					select date_trunc('hour', received_at, 'UTC') || ' ' || coalesce(event_type, '') || ' ' || outcome || ' '
					       || case when outcome = 'rejected' then error_code else '' end || ' '
					       || case when outcome = 'awarded' then currency else '' end || ' ' || count(*) || ' '
					       || sum(amount_awarded)
					from reward_events where brand_id = :brand group by date_trunc('hour', received_at, 'UTC'), event_type,
					     outcome, error_code, currency
					""")
			.param("brand", brandId)
			.query(String.class)
			.list();
		List<String> hours = this.jdbc.sql("""
				select hour || ' ' || event_type || ' ' || outcome || ' ' || error_code || ' ' || currency || ' '
				       || events || ' ' || amount
				from reward_stats_hourly where brand_id = :brand and (events <> 0 or amount <> 0)
				""").param("brand", brandId).query(String.class).list();
		assertThat(hours).containsExactlyInAnyOrderElementsOf(expectedHours);
		// Per member and day, and for the weeks of the month (1-7, 8-14, 15-21, 22-28,
		// 29-)
		// and months rolled up (and not changed since), per week and month.
		String periods = """
				(values ('day', e.day), ('week', e.day - (extract(day from e.day)::int - 1) % 7),
				        ('month', date_trunc('month', e.day::timestamp)::date)) p(span, start)
				""";
		String readable = """
				(p.span = 'day' or exists (select 1 from reward_rollups r where r.brand_id = :brand and r.span = p.span
				                           and r.start = p.start and r.state = 'ready'))
				""";
		List<String> expectedActivity = this.jdbc.sql("""
				select p.span || ' ' || p.start || ' ' || e.member_id || ' ' || e.currency || ' ' || count(*) || ' '
				       || sum(e.amount_awarded)
				from (select (received_at at time zone 'UTC')::date as day, member_id, amount_awarded,
				             case when outcome = 'awarded' then currency else '' end as currency
				      from reward_events where brand_id = :brand and member_id is not null) e
				cross join lateral %s
				where %s
				group by p.span, p.start, e.member_id, e.currency
				""".formatted(periods, readable)).param("brand", brandId).query(String.class).list();
		List<String> activity = this.jdbc
			.sql("""
					select p.span || ' ' || p.start || ' ' || member_id || ' ' || currency || ' ' || events || ' ' || awarded
					from reward_member_activity p where brand_id = :brand and (events <> 0 or awarded <> 0) and %s
					"""
				.formatted(readable))
			.param("brand", brandId)
			.query(String.class)
			.list();
		assertThat(activity).containsExactlyInAnyOrderElementsOf(expectedActivity);
		List<String> expectedActive = this.jdbc.sql("""
				select p.span || ' ' || p.start || ' ' || count(distinct e.member_id)
				from (select (received_at at time zone 'UTC')::date as day, member_id
				      from reward_events where brand_id = :brand and member_id is not null) e
				cross join lateral %s
				where %s
				group by p.span, p.start
				""".formatted(periods, readable)).param("brand", brandId).query(String.class).list();
		List<String> active = this.jdbc.sql("""
				select p.span || ' ' || p.start || ' ' || members from reward_active_members p
				where brand_id = :brand and members <> 0 and %s
				""".formatted(readable)).param("brand", brandId).query(String.class).list();
		assertThat(active).containsExactlyInAnyOrderElementsOf(expectedActive);

		Map<String, Object> expected = this.jdbc
			.sql("""
					select count(*) as events, count(*) filter (where outcome = 'awarded') as awarded,
					       count(*) filter (where outcome = 'pending') as pending,
					       count(*) filter (where outcome = 'rejected') as rejected,
					       coalesce(sum(amount_awarded), 0) as amount, count(distinct member_id) as members,
					       min((received_at at time zone 'UTC')::date) as first, max((received_at at time zone 'UTC')::date) as last
					from reward_events where brand_id = :brand
					""")
			.param("brand", brandId)
			.query()
			.singleRow();
		LocalDate first = ((java.sql.Date) expected.get("first")).toLocalDate();
		LocalDate last = ((java.sql.Date) expected.get("last")).toLocalDate();
		JsonNode totals = summary(brand, "from=" + first + "&to=" + last.plusDays(1)).get("totals");
		assertCounts(totals, ((Number) expected.get("events")).longValue(),
				((Number) expected.get("awarded")).longValue(), ((Number) expected.get("pending")).longValue(),
				((Number) expected.get("rejected")).longValue());
		String currency = this.client.get(brand, "/v1/wallet").text("currency");
		assertThat(totals.get("amount_awarded").path(currency).asLong())
			.isEqualTo(((Number) expected.get("amount")).longValue());
		assertThat(totals.get("unique_members").asLong()).isEqualTo(((Number) expected.get("members")).longValue());

		List<String> expectedTop = this.jdbc.sql("""
				select 'mem_' || member_id || ' ' || sum(amount_awarded) || ' ' || count(*)
				from reward_events where brand_id = :brand and member_id is not null
				group by member_id having sum(amount_awarded) > 0
				order by sum(amount_awarded) desc, count(*) desc, member_id
				""").param("brand", brandId).query(String.class).list();
		List<String> top = new ArrayList<>();
		this.client.get(brand, "/v1/analytics/top-members?limit=100&from=" + first + "&to=" + last.plusDays(1))
			.json()
			.get("data")
			.forEach((member) -> top.add(member.get("member_id").asString() + " "
					+ member.get("amount_awarded").asLong() + " " + member.get("events").asLong()));
		assertThat(top).containsExactlyElementsOf(expectedTop);
	}

	private JsonNode summary(TestBrand brand, String query) {
		ApiResponse response = this.client.get(brand, "/v1/analytics/summary?" + query);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json();
	}

	private void assertInvalid(TestBrand brand, String path, String field) {
		ApiResponse response = this.client.get(brand, path);
		assertThat(response.status()).as(path + " -> " + response).isEqualTo(400);
		assertThat(response.problemCode()).isEqualTo("invalid_request");
		assertThat(response.json().path("errors").path(0).path("field").asString()).as(path).isEqualTo(field);
	}

	private static void assertCounts(JsonNode node, long events, long awarded, long pending, long rejected) {
		assertThat(node.get("events").asLong()).as("events of " + node).isEqualTo(events);
		assertThat(node.get("awarded").asLong()).as("awarded of " + node).isEqualTo(awarded);
		assertThat(node.get("pending").asLong()).as("pending of " + node).isEqualTo(pending);
		assertThat(node.get("rejected").asLong()).as("rejected of " + node).isEqualTo(rejected);
	}

	private void assertMember(JsonNode member, String userId, long awarded, long events) {
		assertThat(member.get("user_id").asString()).isEqualTo(userId);
		assertThat(member.get("user_identifier").asString()).matches("0x[0-9a-fA-F]{40}");
		assertThat(member.get("user_identifier_type").asString()).isEqualTo("evm_address");
		assertThat(member.get("amount_awarded").asLong()).isEqualTo(awarded);
		assertThat(member.get("events").asLong()).isEqualTo(events);
	}

	private static Map<String, Long> map(JsonNode node) {
		Map<String, Long> values = new java.util.LinkedHashMap<>();
		node.properties().forEach((entry) -> values.put(entry.getKey(), entry.getValue().asLong()));
		return values;
	}

}
