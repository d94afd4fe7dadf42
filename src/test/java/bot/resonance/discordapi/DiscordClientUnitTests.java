package bot.resonance.discordapi;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import bot.resonance.support.ExpectedLogs;
import bot.resonance.discordapi.internal.Pacer;
import bot.resonance.support.RefusingPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Discord client against a scripted local server: Discord's headers, its rate limit
 * protocol and its JSON errors. Waits go to a pacer that only records them, so nothing
 * here sleeps or measures time.
 */
class DiscordClientUnitTests {

	/**
	 * The refusal of the bot token these tests provoke, checked here instead of shown in
	 * the build's log.
	 */
	@RegisterExtension
	final ExpectedLogs logs = ExpectedLogs.of(DiscordClient.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private HttpServer server;

	private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final RecordingPacer pacer = new RecordingPacer();

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", (exchange) -> {
			try (exchange) {
				Map<String, String> headers = new LinkedHashMap<>();
				exchange.getRequestHeaders()
					.forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
				this.received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
						headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
				Answer answer = this.script.poll();
				if (answer == null) {
					answer = new Answer(204, Map.of(), "");
				}
				if (answer.hang()) {
					try {
						Thread.sleep(Duration.ofSeconds(2));
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return;
				}
				answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
				byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
				if (body.length > 0) {
					exchange.getResponseBody().write(body);
				}
			}
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	private DiscordClient client() {
		return client("token-123", Duration.ofSeconds(5));
	}

	private DiscordClient client(String token, Duration requestTimeout) {
		return new DiscordClient(
				new DiscordProperties(URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/api/v10"),
						token, Duration.ofSeconds(2), requestTimeout, 3, Duration.ofSeconds(5)),
				JSON, this.pacer);
	}

	private void answer(int status, Map<String, String> headers, String body) {
		this.script.add(new Answer(status, headers, body));
	}

	private static Map<String, String> json() {
		return Map.of("Content-Type", "application/json");
	}

	@Test
	void sendsTheBotTokenTheUserAgentAndAnEncodedAuditLogReason() {
		DiscordResult<RoleAssignment> result = client().addMemberRole("111", "222", "333", "Bought VIP: 100% ✓");
		assertThat(result).isEqualTo(new DiscordResult.Success<>(new RoleAssignment("111", "222", "333")));
		Received request = this.received.getFirst();
		assertThat(request.method()).isEqualTo("PUT");
		assertThat(request.path()).isEqualTo("/api/v10/guilds/111/members/222/roles/333");
		assertThat(request.headers()).containsEntry("authorization", "Bot token-123")
			.containsEntry("user-agent", "DiscordBot (https://resonance.bot, 1.0)")
			.containsEntry("x-audit-log-reason", "Bought%20VIP%3A%20100%25%20%E2%9C%93");
		assertThat(this.pacer.sleeps).isEmpty();
	}

	@Test
	void auditLogReasonsAreCutTo512Characters() {
		String reason = DiscordClient.auditLogReason("a".repeat(600));
		assertThat(reason).hasSize(512);
		assertThat(DiscordClient.auditLogReason("x".repeat(511) + "😀")).isEqualTo("x".repeat(511));
	}

	@Test
	void postsMessagesWithANonceAndWithoutMassMentions() {
		answer(200, json(), "{\"id\": \"1234567890\", \"channel_id\": \"42\", \"content\": \"hi\"}");
		JsonNode embed = JSON.readTree("{\"title\": \"Drop\"}");
		DiscordResult<PostedMessage> result = client()
			.createMessage(new NewMessage("42", "hi @everyone", List.of(embed), "nonce-1"));
		assertThat(result).isEqualTo(new DiscordResult.Success<>(new PostedMessage("1234567890", "42")));
		Received request = this.received.getFirst();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/api/v10/channels/42/messages");
		assertThat(request.headers()).containsEntry("content-type", "application/json");
		JsonNode body = JSON.readTree(request.body());
		assertThat(body.get("content").asString()).isEqualTo("hi @everyone");
		assertThat(body.get("embeds").get(0).get("title").asString()).isEqualTo("Drop");
		assertThat(body.get("nonce").asString()).isEqualTo("nonce-1");
		assertThat(body.get("enforce_nonce").asBoolean()).isTrue();
		assertThat(body.get("allowed_mentions").get("parse").toString()).isEqualTo("[\"users\",\"roles\"]");
	}

	@Test
	void a429IsRetriedAfterItsRetryAfterThenSucceeds() {
		answer(429,
				Map.of("Content-Type", "application/json", "Retry-After", "2", "X-RateLimit-Limit", "5",
						"X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "1.5", "X-RateLimit-Scope", "user"),
				"{\"message\": \"You are being rate limited.\", \"retry_after\": 1.5, \"global\": false}");
		DiscordResult<RoleAssignment> result = client().addMemberRole("1", "2", "3", null);
		assertThat(result).isInstanceOf(DiscordResult.Success.class);
		assertThat(this.received).hasSize(2);
		assertThat(this.pacer.sleeps).containsExactly(Duration.ofMillis(1500));
		assertThat(this.received.getFirst().headers()).doesNotContainKey("x-audit-log-reason");
	}

	@Test
	void withoutAJsonBodyThe429sRetryAfterHeaderIsUsed() {
		answer(429, Map.of("Retry-After", "3", "Content-Type", "text/html"), "<html>Cloudflare</html>");
		assertThat(client().addMemberRole("1", "2", "3", null)).isInstanceOf(DiscordResult.Success.class);
		assertThat(this.pacer.sleeps).containsExactly(Duration.ofSeconds(3));
	}

	@Test
	void aWaitLongerThanTheCapIsReportedNotWaited() {
		answer(429, json(), "{\"message\": \"You are being rate limited.\", \"retry_after\": 64.57, \"global\": true}");
		DiscordResult<RoleAssignment> result = client().addMemberRole("1", "2", "3", null);
		assertThat(result).isEqualTo(new DiscordResult.RateLimited<>(Duration.ofMillis(64_570), true));
		assertThat(this.received).hasSize(1);
		assertThat(this.pacer.sleeps).isEmpty();
	}

	@Test
	void theGlobalLimitHoldsBackEveryRouteOfTheSameClient() {
		DiscordClient client = client();
		answer(429, json(), "{\"message\": \"You are being rate limited.\", \"retry_after\": 30, \"global\": true}");
		assertThat(client.addMemberRole("1", "2", "3", null)).isInstanceOf(DiscordResult.RateLimited.class);
		DiscordResult<PostedMessage> other = client.createMessage(new NewMessage("9", "hi", List.of(), null));
		assertThat(other).isInstanceOf(DiscordResult.RateLimited.class);
		assertThat(((DiscordResult.RateLimited<PostedMessage>) other).global()).isTrue();
		assertThat(this.received).hasSize(1);
	}

	@Test
	void rateLimitsAreCountedWithoutNamingTheRoute() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		DiscordClient client = new DiscordClient(
				new DiscordProperties(URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/api/v10"),
						"token-123", Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ofSeconds(5)),
				JSON, this.pacer, meters);
		answer(429, json(), "{\"message\": \"You are being rate limited.\", \"retry_after\": 1.5, \"global\": false}");
		assertThat(client.addMemberRole("1", "2", "3", null)).isInstanceOf(DiscordResult.Success.class);
		answer(429, json(), "{\"message\": \"You are being rate limited.\", \"retry_after\": 30, \"global\": true}");
		assertThat(client.addMemberRole("1", "2", "3", null)).isInstanceOf(DiscordResult.RateLimited.class);
		assertThat(client.createMessage(new NewMessage("9", "hi", List.of(), null)))
			.isInstanceOf(DiscordResult.RateLimited.class);

		assertThat(meters.get("resonance.discord.rate.limited").tag("scope", "route").counter().count()).isEqualTo(1);
		assertThat(meters.get("resonance.discord.rate.limited").tag("scope", "global").counter().count()).isEqualTo(1);
		assertThat(meters.get("resonance.discord.rate.limit.waits").timer().count()).isEqualTo(1);
		assertThat(meters.get("resonance.discord.rate.limit.waits").timer().totalTime(TimeUnit.MILLISECONDS))
			.isEqualTo(1500);
		// the global 429 itself, then the other route held back without being sent
		assertThat(meters.get("resonance.discord.rate.limit.give.ups").counter().count()).isEqualTo(2);
		assertThat(meters.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getTags())
			.allSatisfy((tag) -> assertThat(tag.getKey()).isEqualTo("scope")));
	}

	@Test
	void retriesAreBounded() {
		for (int i = 0; i < 10; i++) {
			answer(429, json(),
					"{\"message\": \"You are being rate limited.\", \"retry_after\": 0.1, \"global\": false}");
		}
		DiscordResult<RoleAssignment> result = client().addMemberRole("1", "2", "3", null);
		assertThat(result).isInstanceOf(DiscordResult.RateLimited.class);
		assertThat(this.received).hasSize(4);
		assertThat(this.pacer.sleeps).hasSize(3);
	}

	@Test
	void anExhaustedBucketHoldsTheNextRequestBackUntilItResets() {
		DiscordClient client = client();
		answer(204, Map.of("X-RateLimit-Limit", "5", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "2.25",
				"X-RateLimit-Bucket", "abcd"), "");
		assertThat(client.addMemberRole("1", "2", "3", null)).isInstanceOf(DiscordResult.Success.class);
		assertThat(this.pacer.sleeps).isEmpty();
		assertThat(client.addMemberRole("1", "5", "3", null)).isInstanceOf(DiscordResult.Success.class);
		assertThat(this.pacer.sleeps).containsExactly(Duration.ofMillis(2250));
		// Another guild is another route.
		assertThat(client.addMemberRole("7", "5", "3", null)).isInstanceOf(DiscordResult.Success.class);
		assertThat(this.pacer.sleeps).hasSize(1);
	}

	@Test
	void discordsJsonErrorsAreRefusalsWithTheirCode() {
		answer(403, json(), "{\"message\": \"Missing Permissions\", \"code\": 50013}");
		answer(404, json(), "{\"message\": \"Unknown Member\", \"code\": 10007}");
		answer(404, json(), "{\"message\": \"Unknown Role\", \"code\": 10011}");
		answer(404, json(), "{\"message\": \"Unknown Channel\", \"code\": 10003}");
		answer(401, json(), "{\"message\": \"401: Unauthorized\", \"code\": 0}");
		answer(400, json(), "{\"message\": \"Invalid Form Body\", \"code\": 50035, \"errors\": {}}");
		answer(403, Map.of(), "");
		List<DiscordError.Reason> reasons = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			DiscordResult<RoleAssignment> result = client().addMemberRole("1", "2", "3", null);
			assertThat(result).isInstanceOf(DiscordResult.Refused.class);
			reasons.add(((DiscordResult.Refused<RoleAssignment>) result).error().reason());
		}
		assertThat(reasons).containsExactly(DiscordError.Reason.MISSING_PERMISSIONS, DiscordError.Reason.UNKNOWN_MEMBER,
				DiscordError.Reason.UNKNOWN_ROLE, DiscordError.Reason.UNKNOWN_CHANNEL, DiscordError.Reason.UNAUTHORIZED,
				DiscordError.Reason.INVALID_REQUEST, DiscordError.Reason.MISSING_ACCESS);
		assertThat(this.logs.expect("Discord refused the bot token (HTTP 401)")).hasSize(1);
	}

	@Test
	void refusalsKeepDiscordsMessage() {
		answer(403, json(), "{\"message\": \"Missing Permissions\", \"code\": 50013}");
		DiscordResult<RoleAssignment> result = client().addMemberRole("1", "2", "3", null);
		assertThat(result).isEqualTo(new DiscordResult.Refused<>(new DiscordError(403, 50013, "Missing Permissions")));
	}

	@Test
	void serverErrorsTimeoutsAndUnreachableServersAreUnavailable() throws IOException {
		answer(502, Map.of(), "<html>Bad Gateway</html>");
		assertThat(client().addMemberRole("1", "2", "3", null)).isInstanceOf(DiscordResult.Unavailable.class);

		this.script.add(new Answer(0, Map.of(), "", true));
		assertThat(client("token", Duration.ofMillis(300)).addMemberRole("1", "2", "3", null))
			.isInstanceOf(DiscordResult.Unavailable.class);

		RefusingPort refusing = RefusingPort.open();
		int closedPort = refusing.port();
		DiscordClient unreachable = new DiscordClient(
				new DiscordProperties(URI.create("http://127.0.0.1:" + closedPort + "/api/v10"), "token",
						Duration.ofSeconds(2), Duration.ofSeconds(2), 3, Duration.ofSeconds(5)),
				JSON, this.pacer);
		DiscordResult<RoleAssignment> result = unreachable.addMemberRole("1", "2", "3", null);
		assertThat(result).isInstanceOf(DiscordResult.Unavailable.class);
		assertThat(((DiscordResult.Unavailable<RoleAssignment>) result).reason()).contains("could not be reached");
		refusing.close();
	}

	@Test
	void withoutATokenNothingIsSent() {
		for (String token : new String[] { null, "", "  " }) {
			DiscordClient client = new DiscordClient(new DiscordProperties(URI.create("http://127.0.0.1:1/api/v10"),
					token, Duration.ofSeconds(1), Duration.ofSeconds(1), 3, Duration.ofSeconds(5)), JSON, this.pacer);
			assertThat(client.isConfigured()).isFalse();
			assertThat(client.addMemberRole("1", "2", "3", "x")).isEqualTo(new DiscordResult.NotConfigured<>());
			assertThat(client.createMessage(new NewMessage("1", "hi", List.of(), null)))
				.isEqualTo(new DiscordResult.NotConfigured<>());
		}
		assertThat(this.received).isEmpty();
	}

	private record Answer(int status, Map<String, String> headers, String body, boolean hang) {

		Answer(int status, Map<String, String> headers, String body) {
			this(status, headers, body, false);
		}

	}

	private record Received(String method, String path, Map<String, String> headers, String body) {
	}

	/** Records waits and moves its own clock past them, without sleeping. */
	private static final class RecordingPacer implements Pacer {

		final List<Duration> sleeps = new CopyOnWriteArrayList<>();

		private long now = 1_000_000_000L;

		@Override
		public synchronized long nanoTime() {
			return this.now;
		}

		@Override
		public synchronized void sleep(Duration duration) {
			this.sleeps.add(duration);
			this.now += duration.toNanos();
		}

	}

}
