package bot.resonance.webhooks;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import bot.resonance.support.WebhookReceiver;
import bot.resonance.webhooks.internal.WebhookDirectory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outgoing webhooks cannot be pointed at the network Resonance runs in, however the
 * address is spelt: every attack URL is refused when an endpoint is registered or
 * changed, with a 400 that names the problem, and an endpoint whose stored URL leads to a
 * refused address is not connected to when a delivery is sent. These tests run where
 * {@code 127.0.0.0/8} is allowed, as a development machine would be: addresses that
 * merely carry 127.0.0.1 stay refused.
 */
@IntegrationTest
class WebhookTargetIntegrationTests extends IntegrationTestSupport {

	/** Each attack URL with what its refusal must name. */
	private static final Map<String, String> ATTACKS = Map.ofEntries(
			Map.entry("http://[::127.0.0.1]/hook", "which embeds 127.0.0.1 (Loopback"),
			Map.entry("http://[::ffff:7f00:1]/hook", "which embeds 127.0.0.1 (Loopback"),
			Map.entry("http://[::ffff:127.0.0.1]:8080/hook", "which embeds 127.0.0.1 (Loopback"),
			Map.entry("http://[::ffff:0:7f00:1]/hook", "which embeds 127.0.0.1 (Loopback"),
			Map.entry("http://[64:ff9b::7f00:1]/hook", "which embeds 127.0.0.1 (Loopback"),
			Map.entry("http://[64:ff9b::a9fe:a9fe]/latest/meta-data", "which embeds 169.254.169.254 (Link Local"),
			Map.entry("http://[64:ff9b:1::a9fe:a9fe]/latest/meta-data", "which embeds 169.254.169.254"),
			Map.entry("http://[2002:7f00:1::]/hook", "which embeds 127.0.0.1 (Loopback"),
			Map.entry("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook", "which embeds 127.0.0.1"),
			Map.entry("http://[::1]/hook", "Loopback Address"), Map.entry("http://0.0.0.0/hook", "This host"),
			Map.entry("http://169.254.169.254/latest/meta-data", "Link Local"),
			Map.entry("http://10.0.0.1/hook", "Private-Use"), Map.entry("http://100.64.0.1/hook", "Shared Address"),
			Map.entry("http://192.0.0.9/hook", "Port Control Protocol"),
			Map.entry("http://192.0.2.1/hook", "Documentation"), Map.entry("http://198.18.0.1/hook", "Benchmarking"),
			Map.entry("http://198.51.100.7/hook", "Documentation"),
			Map.entry("http://203.0.113.7/hook", "Documentation"), Map.entry("http://224.0.0.1/hook", "Multicast"),
			Map.entry("http://240.0.0.1/hook", "Reserved"), Map.entry("http://255.255.255.255/hook", "Broadcast"),
			Map.entry("http://[2001:db8::1]/hook", "Documentation"), Map.entry("http://[fc00::1]/hook", "Unique-Local"),
			Map.entry("http://[fe80::1]/hook", "Link-Local"), Map.entry("http://[fec0::1]/hook", "Site-Local"),
			Map.entry("http://[ff02::1]/hook", "Multicast"), Map.entry("http://[100::1]/hook", "Discard-Only"),
			Map.entry("http://[5f00::1]/hook", "Segment Routing"),
			Map.entry("http://127.0.0.1:0/hook", "port 0 is not a port from 1 to 65535"),
			Map.entry("http://127.0.0.1:65536/hook", "port 65536 is not a port from 1 to 65535"),
			Map.entry("http://127.0.0.1:99999/hook", "port 99999 is not a port from 1 to 65535"));

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WebhookDirectory directory;

	@Test
	void attackUrlsAreRefusedAtRegistrationNamingTheProblem() {
		TestBrand brand = this.client.createBrand();
		ATTACKS.forEach((url, explanation) -> {
			ApiResponse response = this.client.api(brand, "POST", "/v1/webhooks",
					ResonanceClient.json(Map.of("url", url)));
			assertThat(response.status()).as(url + " " + response).isEqualTo(400);
			assertThat(response.problemCode()).isEqualTo("invalid_request");
			assertThat(response.text("detail")).as(url).startsWith("url is not allowed: ").contains(explanation);
		});
		assertThat(this.client.get(brand, "/v1/webhooks").json().get("data").size()).isZero();
	}

	@Test
	void aReceiverInAPrivateNetworkIsRefusedSayingHowToAllowIt() throws IOException {
		// (The tests allow 127.0.0.0/8 for their receivers: a private range shows it.)
		TestBrand brand = this.client.createBrand();
		ApiResponse local = this.client.api(brand, "POST", "/v1/webhooks",
				ResonanceClient.json(Map.of("url", "http://10.1.2.3:3000/webhooks")));
		assertThat(local.status()).isEqualTo(400);
		assertThat(local.text("detail")).contains("Private-Use")
			.contains("resonance.webhooks.allowed-private-targets")
			.contains("RESONANCE_WEBHOOKS_ALLOWEDPRIVATETARGETS");
		// A refusal that is not about the address has no such hint.
		ApiResponse scheme = this.client.api(brand, "POST", "/v1/webhooks",
				ResonanceClient.json(Map.of("url", "ftp://example.com/hook")));
		assertThat(scheme.text("detail")).doesNotContain("allowed-private-targets");
		// The refusal docs/webhooks.md shows is the one the API gives.
		ApiResponse loopback = this.client.api(brand, "POST", "/v1/webhooks",
				ResonanceClient.json(Map.of("url", "http://[::ffff:7f00:1]:3000/webhooks")));
		assertThat(loopback.status()).isEqualTo(400);
		assertThat(Files.readString(Path.of("docs/webhooks.md")))
			.contains("\"detail\": " + ResonanceClient.json(loopback.text("detail")) + ",");
	}

	@Test
	void attackUrlsAreRefusedWhenAnEndpointIsChanged() {
		TestBrand brand = this.client.createBrand();
		try (WebhookReceiver receiver = WebhookReceiver.start()) {
			String url = receiver.url("/kept");
			ApiResponse created = this.client.api(brand, "POST", "/v1/webhooks",
					ResonanceClient.json(Map.of("url", url)));
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			String id = created.text("id");
			ATTACKS.forEach((attack, explanation) -> {
				ApiResponse response = this.client.api(brand, "PATCH", "/v1/webhooks/" + id,
						ResonanceClient.json(Map.of("url", attack)));
				assertThat(response.status()).as(attack + " " + response).isEqualTo(400);
				assertThat(response.problemCode()).isEqualTo("invalid_request");
				assertThat(response.text("detail")).as(attack).contains(explanation);
			});
			assertThat(this.client.get(brand, "/v1/webhooks/" + id).text("url")).isEqualTo(url);
		}
	}

	@Test
	void thisNodesOwnAddressesAreRefused() throws Exception {
		TestBrand brand = this.client.createBrand();
		List<String> own = new ArrayList<>();
		for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
			for (InetAddress address : network.inetAddresses().toList()) {
				if (!address.isLoopbackAddress()) {
					own.add((address instanceof Inet6Address)
							? "[" + address.getHostAddress().replaceAll("%.*", "") + "]" : address.getHostAddress());
				}
			}
		}
		for (String host : own) {
			ApiResponse response = this.client.api(brand, "POST", "/v1/webhooks",
					ResonanceClient.json(Map.of("url", "http://" + host + "/hook")));
			assertThat(response.status()).as(host + " " + response).isEqualTo(400);
			assertThat(response.text("detail")).as(host).contains("an address of this Resonance node");
		}
		// Loopback is this node's too, and allowed here only because the allow-list
		// names it.
		ApiResponse loopback = this.client.api(brand, "POST", "/v1/webhooks",
				ResonanceClient.json(Map.of("url", "http://127.0.0.1:9/hook")));
		assertThat(loopback.status()).as(loopback.toString()).isEqualTo(201);
	}

	@Test
	void anEndpointWhoseStoredUrlLeadsToARefusedAddressIsNotConnectedTo() {
		TestBrand brand = this.client.createBrand();
		try (WebhookReceiver receiver = WebhookReceiver.start()) {
			String url = receiver.url("/moved");
			ApiResponse created = this.client.api(brand, "POST", "/v1/webhooks",
					ResonanceClient.json(Map.of("url", url)));
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			// The URL changes behind the check (saved by an older version, or by hand):
			// the receiver, as an IPv4-mapped address.
			String mapped = url.replace("127.0.0.1", "[::ffff:7f00:1]");
			this.jdbc.sql("update webhook_endpoints set url = :url where brand_id = :brand and id = :id")
				.param("url", mapped)
				.param("brand", brand.brandId())
				.param("id", UUID.fromString(created.text("id")))
				.update();
			this.directory.evictEverywhere(brand.brandId());

			ApiResponse sent = this.client.api(brand, "POST", "/v1/webhooks/" + created.text("id") + "/test",
					"{\"event\":\"member.join\"}");
			assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
			JsonNode attempt = Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.until(() -> this.client.get(brand, "/v1/webhooks/" + created.text("id") + "/deliveries")
					.json()
					.at("/data/0/attempts/0"), (node) -> !node.isMissingNode());
			assertThat(attempt.get("error").asString()).startsWith("Not sent: ").contains("embeds 127.0.0.1");
			assertThat(receiver.received()).as("nothing reached the receiver").isEmpty();
		}
	}

}
