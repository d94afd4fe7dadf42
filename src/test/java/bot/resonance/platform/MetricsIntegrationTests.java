package bot.resonance.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import bot.resonance.rewards.internal.ingest.PendingEvents;
import bot.resonance.rewards.internal.ingest.RewardsProperties;
import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;
import bot.resonance.webhooks.WebhookProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/prometheus}: open, in the Prometheus text format, with Resonance's own
 * counters moving as events and deliveries go through, and nothing in it that names a
 * brand, a member or a secret. Other tests share the server, so counters are compared
 * before and after.
 */
@IntegrationTest
class MetricsIntegrationTests extends IntegrationTestSupport {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final List<String> PHASES = List.of("lock", "screen", "members", "state", "wallets", "decide",
			"post", "record", "commit");

	@Autowired
	MeterRegistry meters;

	@Autowired
	RewardsProperties rewards;

	@Autowired
	WebhookProperties webhooks;

	@Autowired
	PendingEvents pendingEvents;

	private WebhookReceiver receiver;

	private final List<Map.Entry<TestBrand, String>> hooks = new ArrayList<>();

	@BeforeEach
	void startReceiver() {
		this.receiver = WebhookReceiver.start();
	}

	@AfterEach
	void stopReceiver() {
		this.hooks.forEach((hook) -> this.client.api(hook.getKey(), "DELETE", "/v1/webhooks/" + hook.getValue(), null));
		this.receiver.close();
	}

	@Test
	void scrapeIsOpenAndInThePrometheusTextFormat() {
		ApiResponse scrape = this.client.send("GET", "/actuator/prometheus", null, Map.of());
		assertThat(scrape.status()).as(scrape.toString()).isEqualTo(200);
		assertThat(scrape.header("Content-Type")).startsWith("text/plain");
		// a web page elsewhere cannot read it
		ApiResponse fromPage = this.client.send("GET", "/actuator/prometheus", null,
				Map.of("Origin", "https://elsewhere.example"));
		assertThat(fromPage.status()).isEqualTo(200);
		assertThat(fromPage.header("Access-Control-Allow-Origin")).isNull();
		assertThat(scrape.body()).contains("# TYPE jvm_memory_used_bytes gauge")
			.contains("hikaricp_connections_active{")
			.contains("hikaricp_connections_pending{")
			.contains("resonance_webhook_queue_due ")
			.contains("resonance_webhook_queue_oldest_age_seconds ")
			.contains("resonance_ingest_queue_depth{lane=\"0\"}")
			.contains("resonance_discord_rate_limited_total{scope=\"global\"}")
			.contains("resonance_discord_rate_limit_waits_seconds_count ")
			.contains("resonance_portal_password_hash_waits_seconds_count ")
			.contains("resonance_portal_password_hashes_refused_total ");
	}

	@Test
	void countersMoveWithEventsAndDeliveriesAndNameNoBrandOrSecret() throws IOException {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 5));
		ApiResponse hook = this.client.api(brand, "POST", "/v1/webhooks",
				ResonanceClient.json(Map.of("url", this.receiver.url("/hook"))));
		assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
		this.hooks.add(Map.entry(brand, hook.text("id")));
		String user = newUserId();

		String before = scrape();
		double awarded = value(before, "resonance_events_total", "outcome=\"awarded\",reason=\"none\"");
		double rejected = value(before, "resonance_events_total", "outcome=\"rejected\",reason=\"event_disabled\"");
		double succeeded = value(before, "resonance_webhook_deliveries_total", "outcome=\"succeeded\"");
		double batches = value(before, "resonance_ingest_batch_size_count", null);
		Map<String, Double> phaseCounts = new TreeMap<>();
		PHASES.forEach((phase) -> phaseCounts.put(phase,
				value(before, "resonance_ingest_batch_phase_seconds_count", "phase=\"" + phase + "\"")));

		ApiResponse first = this.client.event(brand, "custom_event", user);
		ApiResponse second = this.client.event(brand, "custom_event", user);
		ApiResponse refused = this.client.event(brand, "never_enabled_event", user);
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(second.status()).as(second.toString()).isEqualTo(200);
		assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
		assertThat(refused.errorCode()).isEqualTo("EVENT_DISABLED");
		this.receiver.await(2, WAIT);

		// Two look-ups by different ids: one route template, not two raw paths.
		String firstId = first.text("event_id");
		String secondId = second.text("event_id");
		assertThat(this.client.get(brand, "/v1/events/" + firstId).status()).isEqualTo(200);
		assertThat(this.client.get(brand, "/v1/events/" + secondId).status()).isEqualTo(200);

		// Refused before any route matched: the raw path is not a tag either.
		assertThat(this.client.send("GET", "/v1/events/evt_unauthenticated_probe", null, Map.of()).status())
			.isEqualTo(401);

		Awaitility.await()
			.atMost(WAIT)
			.until(() -> value(scrape(), "resonance_webhook_deliveries_total", "outcome=\"succeeded\"") >= succeeded
					+ 2);
		String after = scrape();
		assertThat(value(after, "resonance_events_total", "outcome=\"awarded\",reason=\"none\""))
			.isEqualTo(awarded + 2);
		assertThat(value(after, "resonance_events_total", "outcome=\"rejected\",reason=\"event_disabled\""))
			.isEqualTo(rejected + 1);
		assertThat(value(after, "resonance_ingest_batch_size_count", null)).isGreaterThanOrEqualTo(batches + 1);
		assertThat(after).contains("resonance_ingest_batch_duration_seconds_count ");
		// Every batch passes every phase once.
		for (String phase : PHASES) {
			assertThat(value(after, "resonance_ingest_batch_phase_seconds_count", "phase=\"" + phase + "\"")).as(phase)
				.isGreaterThanOrEqualTo(phaseCounts.get(phase) + 2);
		}

		assertThat(after).containsPattern(
				"http_server_requests_seconds_count\\{[^}]*method=\"GET\"[^}]*status=\"200\"[^}]*uri=\"/v1/events/\\{event_id}\"");
		assertThat(after).contains("uri=\"/v1/events\"");
		for (String secret : List.of(brand.brandId(), brand.secretKey(), brand.apiKey(), hook.text("secret"),
				hook.text("id"), firstId, secondId, user, ResonanceClient.ADMIN_TOKEN, "127.0.0.1",
				"evt_unauthenticated_probe")) {
			assertThat(after).doesNotContain(secret);
		}
		assertThat(dashboardMetrics()).isNotEmpty()
			.allSatisfy(
					(metric) -> assertThat(after).as(metric).containsPattern("(?m)^" + Pattern.quote(metric) + "[{ ]"));
		assertThat(after).doesNotContainPattern("[{,]brand[a-z_]*=")
			.doesNotContainPattern("[{,](member|user|url)[a-z_]*=");
	}

	@Test
	void everyRequestIsTimedOnceUnderItsRouteAndNoMethodAddsSeries() {
		TestBrand brand = this.client.createBrand();
		double before = requests("GET", "/v1/events/{event_id}", "404");
		double unknownBefore = requests("UNKNOWN", "UNKNOWN", "405");
		for (int i = 0; i < 3; i++) {
			assertThat(this.client.get(brand, "/v1/events/evt_missing_" + i).status()).isEqualTo(404);
		}
		for (String method : List.of("BREW", "PROPFIND")) {
			assertThat(this.client.send(method, "/v1/wallet", null, Map.of()).status()).isEqualTo(405);
		}
		// once each: timed by one filter, not also by Spring's observation of requests (a
		// request is recorded as its filter returns, which may be just after its answer
		// came)
		Awaitility.await()
			.atMost(WAIT)
			.until(() -> requests("GET", "/v1/events/{event_id}", "404") >= before + 3
					&& requests("UNKNOWN", "UNKNOWN", "405") >= unknownBefore + 2);
		assertThat(requests("GET", "/v1/events/{event_id}", "404")).isEqualTo(before + 3);
		assertThat(requests("UNKNOWN", "UNKNOWN", "405")).isEqualTo(unknownBefore + 2);
		assertThat(this.meters.find("http.server.requests").tag("method", "BREW").timers()).isEmpty();
		assertThat(scrape()).doesNotContain("BREW").doesNotContain("PROPFIND").doesNotContain("evt_missing_");
	}

	private double requests(String method, String uri, String status) {
		return this.meters.find("http.server.requests")
			.tags("method", method, "uri", uri, "status", status)
			.timers()
			.stream()
			.mapToLong(Timer::count)
			.sum();
	}

	@Test
	void ingestLaneDepthMovesWhileABurstOfEventsIsInFlight() throws Exception {
		TestBrand brand = brandWith(10_000_000, "custom_event", Map.of("amount", 1));
		AtomicBoolean bursting = new AtomicBoolean(true);
		AtomicInteger sent = new AtomicInteger();
		List<Thread> senders = new ArrayList<>();
		for (int i = 0; i < 32; i++) {
			senders.add(Thread.ofVirtual().start(() -> {
				ResonanceClient client = new ResonanceClient(this.port);
				while (bursting.get()) {
					ApiResponse event = client.event(brand, "custom_event", newUserId());
					assertThat(event.status()).as(event.toString()).isEqualTo(200);
					sent.incrementAndGet();
				}
			}));
		}
		try {
			// Sampled as often as it can be: the lanes drain as fast as they fill.
			Awaitility.await()
				.atMost(WAIT)
				.pollInterval(Duration.ofMillis(1))
				.pollInSameThread()
				.until(() -> this.meters.find("resonance.ingest.queue.depth")
					.gauges()
					.stream()
					.mapToDouble(Gauge::value)
					.max()
					.orElse(0) > 0);
		}
		finally {
			bursting.set(false);
			for (Thread sender : senders) {
				sender.join();
			}
		}
		assertThat(sent.get()).isPositive();
		assertThat(this.meters.find("resonance.ingest.queue.depth").gauges()).hasSize(this.rewards.effectiveLanes());
	}

	@Test
	void deliveryQueueGaugesMoveWhileAReceiverHoldsItsDeliveries() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 1));
		this.receiver.hold();
		ApiResponse hook = this.client.api(brand, "POST", "/v1/webhooks",
				ResonanceClient.json(Map.of("url", this.receiver.url("/held"))));
		assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
		this.hooks.add(Map.entry(brand, hook.text("id")));
		// More deliveries than the endpoint may have in flight: the rest wait, due.
		int events = this.webhooks.perEndpointConcurrency() + 8;
		for (int i = 0; i < events; i++) {
			assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
		}
		try {
			this.receiver.await(this.webhooks.perEndpointConcurrency(), WAIT);
			Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
				String scrape = scrape();
				assertThat(value(scrape, "resonance_webhook_queue_due", null)).isGreaterThanOrEqualTo(1);
				assertThat(value(scrape, "resonance_webhook_queue_oldest_age_seconds", null)).isPositive();
			});
		}
		finally {
			this.receiver.release();
		}
		this.receiver.await(events, WAIT);
	}

	@Test
	void failureStreaksOfEndpointsAreCountedWithoutNamingThem() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 1));
		this.receiver.always(WebhookReceiver.Answer.status(500));
		// The gauges are read at most every 5 s: the count before is taken once the one
		// read before this test (with the endpoints other tests deleted since) is stale.
		Awaitility.await().pollDelay(Duration.ofMillis(5_200)).until(() -> true);
		double failingBefore = value(scrape(), "resonance_webhook_endpoints_failing", "failing_for=\"under_1h\"");
		ApiResponse hook = this.client.api(brand, "POST", "/v1/webhooks",
				ResonanceClient.json(Map.of("url", this.receiver.url("/failing"))));
		assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
		this.hooks.add(Map.entry(brand, hook.text("id")));
		assertThat(this.client.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
		this.receiver.await(1, WAIT);

		Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			String scrape = scrape();
			assertThat(value(scrape, "resonance_webhook_endpoints_failing", "failing_for=\"under_1h\""))
				.isGreaterThanOrEqualTo(failingBefore + 1);
			assertThat(value(scrape, "resonance_webhook_endpoints_failing_longest_seconds", null)).isPositive();
		});
		String scrape = scrape();
		assertThat(scrape).contains("resonance_webhook_endpoints_failing{failing_for=\"1h_to_1d\"}")
			.contains("resonance_webhook_endpoints_failing{failing_for=\"over_1d\"}")
			.doesNotContain(hook.text("id"))
			.doesNotContain(this.receiver.url("/failing"))
			.doesNotContain(brand.brandId());
	}

	@Test
	void deferredEventsAreCountedWhenTheirTimeComes() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 5, "daily_limit", 1));
		String user = newUserId();
		String before = scrape();
		double pending = value(before, "resonance_events_total", "outcome=\"pending\",reason=\"none\"");
		double deferredAwarded = value(before, "resonance_events_deferred_total",
				"outcome=\"awarded\",reason=\"none\"");

		Instant evening = lateEvening();
		this.clock.freezeAt(evening);
		assertThat(this.client.event(brand, "custom_event", user).text("status")).isEqualTo("awarded");
		assertThat(this.client.event(brand, "custom_event", user).text("status")).isEqualTo("pending");
		this.clock.freezeAt(evening.plus(Duration.ofHours(1)).plusSeconds(1));
		assertThat(this.pendingEvents.processDue()).isGreaterThanOrEqualTo(1);

		String after = scrape();
		assertThat(value(after, "resonance_events_total", "outcome=\"pending\",reason=\"none\""))
			.isEqualTo(pending + 1);
		assertThat(value(after, "resonance_events_deferred_total", "outcome=\"awarded\",reason=\"none\""))
			.isEqualTo(deferredAwarded + 1);
	}

	@Test
	void pendingEventsThatCameDueAreTheDeferralQueuesBacklog() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 5, "daily_limit", 1));
		String user = newUserId();
		assertThat(scrape()).contains("resonance_jobs_due{queue=\"reward-deferrals\"}")
			.contains("resonance_jobs_oldest_due_age_seconds{queue=\"reward-deferrals\"}")
			.contains("resonance_jobs_dead{queue=\"reward-deferrals\"}")
			.contains("resonance_jobs_due{queue=\"webhook-pruning\"}");

		Instant evening = lateEvening();
		this.clock.freezeAt(evening);
		assertThat(this.client.event(brand, "custom_event", user).text("status")).isEqualTo("awarded");
		assertThat(this.client.event(brand, "custom_event", user).text("status")).isEqualTo("pending");
		// Due at midnight: a minute later it has waited a minute, and no node has run it.
		this.clock.freezeAt(evening.plus(Duration.ofHours(1)).plusSeconds(61));
		Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			String scrape = scrape();
			assertThat(value(scrape, "resonance_jobs_due", "queue=\"reward-deferrals\"")).isGreaterThanOrEqualTo(1);
			assertThat(value(scrape, "resonance_jobs_oldest_due_age_seconds", "queue=\"reward-deferrals\""))
				.isGreaterThanOrEqualTo(60);
		});
		assertThat(this.pendingEvents.processDue()).isGreaterThanOrEqualTo(1);
		Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			String scrape = scrape();
			assertThat(value(scrape, "resonance_jobs_due", "queue=\"reward-deferrals\"")).isZero();
			assertThat(value(scrape, "resonance_jobs_oldest_due_age_seconds", "queue=\"reward-deferrals\"")).isZero();
		});
		assertThat(scrape()).doesNotContain(brand.brandId()).doesNotContain(user);
	}

	@Test
	void noMetricCarriesAFilesystemPath() {
		String scrape = scrape();
		assertThat(scrape).doesNotContain("disk_free_bytes")
			.doesNotContain("disk_total_bytes")
			.doesNotContainPattern("[{,]path=\"")
			.doesNotContain(Path.of("").toAbsolutePath().toString());
	}

	/** Every metric docs/grafana-dashboard.json queries. */
	private static Set<String> dashboardMetrics() throws IOException {
		JsonNode dashboard = ResonanceClient.MAPPER.readTree(Files.readString(Path.of("docs/grafana-dashboard.json")));
		Set<String> metrics = new TreeSet<>();
		Pattern name = Pattern.compile("\\b(?:resonance|http|hikaricp|jvm|process|tomcat)_[a-z0-9_]+");
		for (JsonNode panel : dashboard.get("panels")) {
			JsonNode targets = panel.get("targets");
			if (targets == null) {
				continue;
			}
			for (JsonNode target : targets) {
				Matcher matcher = name.matcher(target.get("expr").asString());
				while (matcher.find()) {
					metrics.add(matcher.group());
				}
			}
		}
		return metrics;
	}

	private String scrape() {
		ApiResponse response = this.client.send("GET", "/actuator/prometheus", null, Map.of());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.body();
	}

	/**
	 * A sample's value; 0 if it is absent (a counter with those tags not yet moved).
	 * @param labels the labels as they appear in the scrape (in order), or null for none
	 */
	private static double value(String scrape, String name, String labels) {
		Pattern line = Pattern.compile("^" + Pattern.quote(name)
				+ ((labels != null) ? "\\{" + Pattern.quote(labels) + ",?}" : "") + " (\\S+)$", Pattern.MULTILINE);
		Matcher matcher = line.matcher(scrape);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

}
