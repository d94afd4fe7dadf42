package bot.resonance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import bot.resonance.rewards.internal.ingest.PendingEvents;
import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.LedgerChecks;
import bot.resonance.support.MutableClock;
import bot.resonance.support.NodeProcess;
import bot.resonance.support.Race;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.SecondNode;
import bot.resonance.support.TestBrand;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several stateless nodes on one database: nothing is rewarded twice, limits hold across
 * nodes, and a node killed mid-load leaves the ledger consistent and loses nothing it
 * acknowledged.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiNodeIntegrationTests extends IntegrationTestSupport {

	@Autowired
	Environment environment;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MutableClock sharedClock;

	SecondNode second;

	ResonanceClient secondClient;

	@BeforeAll
	void startSecondNode() {
		this.second = SecondNode.start(this.environment, this.sharedClock);
		this.secondClient = new ResonanceClient(this.second.port());
	}

	@AfterAll
	void stopSecondNode() {
		this.second.close();
	}

	private ResonanceClient node(int i) {
		return (i % 2 == 0) ? this.client : this.secondClient;
	}

	@Test
	void aCooldownHoldsAcrossNodes() {
		TestBrand brand = brandWith(10_000, "custom_event", Map.of("amount", 10, "cooldown_seconds", 3600));
		String user = newUserId();
		List<ApiResponse> responses = Race.run(40, (i) -> node(i).event(brand, "custom_event", user));
		assertThat(responses.stream().filter((r) -> r.status() == 200)).hasSize(1);
		assertThat(responses.stream().filter((r) -> r.status() == 429)).hasSize(39);
	}

	@Test
	void aWalletDrainedThroughBothNodesNeverGoesNegative() {
		TestBrand brand = brandWith(60, "custom_event", Map.of("amount", 1));
		List<ApiResponse> responses = Race.run(150, (i) -> node(i).event(brand, "custom_event", newUserId()));
		assertThat(responses.stream().filter((r) -> r.status() == 200)).hasSize(60);
		assertThat(responses.stream().filter((r) -> "INSUFFICIENT_BALANCE".equals(r.errorCode()))).hasSize(90);
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isZero();
	}

	@Test
	void theRateLimitIsSharedByAllNodes() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 1));
		this.client.adminPatch(brand, Map.of("rate_limit_per_minute", 20));
		this.sharedClock.freeze();
		List<ApiResponse> responses = Race.run(50, (i) -> node(i).event(brand, "custom_event", newUserId()));
		assertThat(responses.stream().filter((r) -> r.status() == 200)).hasSize(20);
		assertThat(responses.stream().filter((r) -> "RATE_LIMITED".equals(r.errorCode()))).hasSize(30);
	}

	@Test
	void aKeyRotatedOnOneNodeWorksOnTheOtherAtOnce() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		assertThat(this.secondClient.event(brand, "custom_event", newUserId()).status()).isEqualTo(200);
		ApiResponse rotated = this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/rotate-secret",
				"{\"grace_period_seconds\": 0}");
		TestBrand rotatedBrand = new TestBrand(brand.brandId(), rotated.text("secret_key"), brand.apiKey());
		// The other node hears of the rotation when it commits, within milliseconds.
		long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
		int oldKey;
		do {
			oldKey = this.secondClient.event(brand, "custom_event", newUserId()).status();
		}
		while (oldKey != 401 && System.nanoTime() < deadline);
		assertThat(oldKey).isEqualTo(401);
		assertThat(this.secondClient.event(rotatedBrand, "custom_event", newUserId()).status()).isEqualTo(200);
	}

	@Test
	void pendingEventsAcceptedByOneNodeAreProcessedByAnother() throws Exception {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 10, "daily_limit", 1));
		String user = newUserId();
		Instant now = this.sharedClock.instant();
		Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC)
			.plusDays(1)
			.atStartOfDay(ZoneOffset.UTC)
			.toInstant();
		this.client.event(brand, "custom_event", user);
		ApiResponse pending = this.client.event(brand, "custom_event", user);
		assertThat(pending.text("status")).isEqualTo("pending");

		this.sharedClock.freezeAt(midnight.plusSeconds(1));
		this.second.bean(PendingEvents.class).processDue();
		assertThat(this.client.get(brand, "/v1/events/" + pending.text("event_id")).json().get("status").asString())
			.isEqualTo("awarded");
	}

	@Test
	void aNodeKilledMidLoadLeavesTheLedgerConsistentAndLosesNothingItAcknowledged() throws Exception {
		long funds = 1_000_000;
		TestBrand brand = brandWith(funds, "custom_event", Map.of("amount", 3));
		Path log = Files.createDirectories(Path.of("target", "node-process")).resolve("killed-node.log");
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		AtomicBoolean stop = new AtomicBoolean();
		try (NodeProcess node = NodeProcess.start(this.environment, log)) {
			ResonanceClient doomed = new ResonanceClient(node.port());
			try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
				for (int t = 0; t < 32; t++) {
					load.submit(() -> {
						while (!stop.get()) {
							try {
								ApiResponse response = doomed.event(brand, "custom_event", newUserId());
								if (response.status() == 200) {
									acknowledged.add(response.text("event_id"));
								}
							}
							catch (RuntimeException ex) {
								return; // the node is gone
							}
						}
					});
				}
				// Kill it while 32 clients keep requests in flight, once it has answered
				// some.
				Awaitility.await()
					.atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> acknowledged.size() >= 200);
				node.kill();
				stop.set(true);
			}
		}
		assertThat(acknowledged).as("events the node answered before it died").hasSizeGreaterThanOrEqualTo(20);

		Map<String, Long> awarded = this.jdbc
			.sql("select id, amount_awarded from reward_events where brand_id = :brand and outcome = 'awarded'")
			.param("brand", brand.brandId())
			.query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
		assertThat(awarded.keySet()).containsAll(acknowledged);
		LedgerChecks.assertBalanced(this.jdbc, brand, funds);
		assertThat(awarded.values()).allMatch((amount) -> amount == 3);

		// The surviving node carries on.
		ApiResponse next = this.client.event(brand, "custom_event", newUserId());
		assertThat(next.status()).as(next.toString()).isEqualTo(200);
	}

}
