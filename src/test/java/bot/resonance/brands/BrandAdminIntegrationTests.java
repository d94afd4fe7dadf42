package bot.resonance.brands;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Race;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator API: {@code /admin/v1/brands}. */
@IntegrationTest
class BrandAdminIntegrationTests extends IntegrationTestSupport {

	@Test
	void theOperatorApiNeedsTheAdminToken() {
		ApiResponse none = this.client.send("GET", "/admin/v1/brands", null, Map.of());
		assertThat(none.status()).isEqualTo(401);
		assertThat(none.header("Content-Type")).startsWith("application/problem+json");
		assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
		assertThat(none.problemCode()).isEqualTo("unauthorized");
		assertThat(none.json().get("type").asString()).isEqualTo("https://resonance.bot/problems/unauthorized");
		ApiResponse wrong = this.client.send("GET", "/admin/v1/brands", null, Map.of("Authorization", "Bearer nope"));
		assertThat(wrong.status()).isEqualTo(401);
		TestBrand brand = this.client.createBrand();
		ApiResponse apiKey = this.client.send("GET", "/admin/v1/brands", null,
				Map.of("Authorization", "Bearer " + brand.apiKey()));
		assertThat(apiKey.status()).isEqualTo(401);
	}

	@Test
	void createsABrandWithWalletStyleIdAndCredentialsShownOnce() {
		ApiResponse created = this.client.admin("POST", "/admin/v1/brands", "{\"name\":\"Acme\"}");
		assertThat(created.status()).isEqualTo(201);
		JsonNode body = created.json();
		String brandId = body.get("brand_id").asString();
		assertThat(brandId).matches("0x[0-9a-f]{40}");
		assertThat(created.header("Location")).isEqualTo("/admin/v1/brands/" + brandId);
		assertThat(body.get("secret_key").asString()).startsWith("rsk_");
		assertThat(body.get("api_key").asString()).startsWith("rsn_");
		assertThat(body.get("rate_limit_per_minute").asInt()).isEqualTo(60);
		assertThat(body.get("require_timestamp").asBoolean()).isFalse();
		assertThat(body.get("daily_event_limit").isNull()).isTrue();
		assertThat(body.get("default_currency").asString()).isEqualTo("POINT");

		ApiResponse fetched = this.client.admin("GET", "/admin/v1/brands/" + brandId, null);
		assertThat(fetched.status()).isEqualTo(200);
		assertThat(fetched.json().get("name").asString()).isEqualTo("Acme");
		assertThat(fetched.json().has("secret_key")).isFalse();
		assertThat(fetched.json().has("api_key")).isFalse();
		// The creation answer is the brand as GET shows it, with the credentials.
		Set<String> shown = new HashSet<>(body.propertyNames());
		shown.removeAll(Set.of("secret_key", "api_key"));
		assertThat(shown).containsExactlyInAnyOrderElementsOf(fetched.json().propertyNames());
	}

	@Test
	void acceptsAGivenBrandIdInAnyCaseAndRefusesDuplicates() {
		String id = "0x" + "AbCdEf0123".repeat(4);
		ApiResponse created = this.client.admin("POST", "/admin/v1/brands",
				"{\"name\":\"Given\",\"brand_id\":\"" + id + "\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.text("brand_id")).isEqualTo(id.toLowerCase());
		ApiResponse duplicate = this.client.admin("POST", "/admin/v1/brands",
				"{\"name\":\"Again\",\"brand_id\":\"" + id.toLowerCase() + "\"}");
		assertThat(duplicate.status()).isEqualTo(409);
		assertThat(duplicate.problemCode()).isEqualTo("brand_exists");
		ApiResponse lookup = this.client.admin("GET", "/admin/v1/brands/" + id.toUpperCase().replace("0X", "0x"), null);
		assertThat(lookup.status()).isEqualTo(200);
	}

	@Test
	void refusesInvalidBrandsWithProblemsNamingTheField() {
		assertProblem(this.client.admin("POST", "/admin/v1/brands", "{}"), 400, "name");
		assertProblem(this.client.admin("POST", "/admin/v1/brands", "{\"name\":\"\"}"), 400, "name");
		assertProblem(this.client.admin("POST", "/admin/v1/brands", "{\"name\":\"x\",\"brand_id\":\"0x12\"}"), 400,
				"brand_id");
		assertProblem(this.client.admin("POST", "/admin/v1/brands", "{\"name\":\"x\",\"colour\":\"red\"}"), 400,
				"Unknown field 'colour'");
		assertProblem(this.client.admin("POST", "/admin/v1/brands", "{\"name\":7}"), 400, "name");
		assertProblem(this.client.admin("POST", "/admin/v1/brands", "{\"name\":\"x\",\"rate_limit_per_minute\":\"9\"}"),
				400, "rate_limit_per_minute");
		assertProblem(this.client.admin("POST", "/admin/v1/brands", "{\"name\":\"x\",\"rate_limit_per_minute\":0}"),
				400, "rate_limit_per_minute");
		assertProblem(this.client.admin("POST", "/admin/v1/brands", "{\"name\":\"x\""), 400, "not valid JSON");
		assertProblem(this.client.admin("POST", "/admin/v1/brands", "[]"), 400, "JSON object");
		assertProblem(this.client.admin("POST", "/admin/v1/brands", ""), 400, "body");
		assertProblem(this.client.admin("POST", "/admin/v1/brands", "{\"name\":\"x\",\"currency\":{\"code\":\"pts\"}}"),
				400, "currency.code");
		assertProblem(this.client.admin("POST", "/admin/v1/brands",
				"{\"name\":\"x\",\"currency\":{\"code\":\"PTS\",\"kind\":\"gold\"}}"), 400, "currency.kind");
	}

	@Test
	void anOnchainCurrencyNamesItsTokenAndChainAndTheWalletShowsThem() {
		TestBrand brand = this.client.createBrand(
				Map.of("name", "Onchain", "currency", Map.of("code", "USDC", "kind", "onchain-currency", "decimals", 6,
						"address", "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "chain_id", "eip155:8453")));
		JsonNode usdc = this.client.admin("GET", "/admin/v1/brands/" + brand.brandId() + "/wallet", null)
			.json()
			.at("/balances/0");
		assertThat(usdc.get("currency").asString()).isEqualTo("USDC");
		assertThat(usdc.get("kind").asString()).isEqualTo("onchain-currency");
		// Kept as given: an EVM address's mixed case is its checksum.
		assertThat(usdc.get("address").asString()).isEqualTo("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");
		assertThat(usdc.get("chain_id").asString()).isEqualTo("eip155:8453");
		assertThat(this.client.get(brand, "/v1/wallet").json().at("/balances/0")).isEqualTo(usdc);

		// Solana and XRPL addresses, and either detail alone.
		TestBrand solana = this.client.createBrand(
				Map.of("name", "Solana", "currency", Map.of("code", "BONK", "kind", "onchain-currency", "decimals", 5,
						"address", "DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263", "chain_id", "solana:mainnet")));
		assertThat(this.client.get(solana, "/v1/wallet").json().at("/balances/0/address").asString())
			.isEqualTo("DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263");
		TestBrand xrpl = this.client.createBrand(Map.of("name", "XRPL", "currency",
				Map.of("code", "RLUSD", "kind", "onchain-currency", "address", "rMxCKbEDwqr76QuheSUMdEGf4B9xJ8m5De")));
		assertThat(this.client.get(xrpl, "/v1/wallet").json().at("/balances/0/chain_id").isNull()).isTrue();

		// A currency without a token: null, like every other absent value of the API.
		JsonNode point = this.client.get(this.client.createBrand(), "/v1/wallet").json().at("/balances/0");
		assertThat(point.get("currency").asString()).isEqualTo("POINT");
		assertThat(point.get("address").isNull()).isTrue();
		assertThat(point.get("chain_id").isNull()).isTrue();
	}

	@Test
	void refusesTokenDetailsThatDoNotFitTheCurrencyNamingTheField() {
		String evm = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
		// Only an on-chain currency has a token (point when kind is absent).
		assertInvalid(Map.of("code", "PTS", "kind", "point", "address", evm), "currency.address", "onchain-currency");
		assertInvalid(Map.of("code", "PTS", "address", evm), "currency.address", "onchain-currency");
		assertInvalid(Map.of("code", "AIR", "kind", "airdrop", "chain_id", "8453"), "currency.chain_id",
				"onchain-currency");
		// An EVM address whole: 0x and 40 hex digits.
		assertInvalid(Map.of("code", "USDC", "kind", "onchain-currency", "address", evm.substring(0, 41)),
				"currency.address", "40 hex digits");
		assertInvalid(Map.of("code", "USDC", "kind", "onchain-currency", "address", "0x" + "g".repeat(40)),
				"currency.address", "40 hex digits");
		assertInvalid(Map.of("code", "USDC", "kind", "onchain-currency", "address", evm + "00"), "currency.address",
				"40 hex digits");
		// Letters and digits only, at most 128.
		assertInvalid(Map.of("code", "USDC", "kind", "onchain-currency", "address", "0x-833589"), "currency.address",
				"letters or digits");
		assertInvalid(Map.of("code", "USDC", "kind", "onchain-currency", "address", "a".repeat(129)),
				"currency.address", "letters or digits");
		assertInvalid(Map.of("code", "USDC", "kind", "onchain-currency", "address", ""), "currency.address",
				"letters or digits");
		// A chain id: letters, digits, ':', '_' or '-', at most 64.
		assertInvalid(Map.of("code", "USDC", "kind", "onchain-currency", "chain_id", "base mainnet"),
				"currency.chain_id", "letters, digits");
		assertInvalid(Map.of("code", "USDC", "kind", "onchain-currency", "chain_id", "eip155/1"), "currency.chain_id",
				"letters, digits");
		assertInvalid(Map.of("code", "USDC", "kind", "onchain-currency", "chain_id", "1".repeat(65)),
				"currency.chain_id", "letters, digits");
		assertInvalid(Map.of("code", "USDC", "kind", "onchain-currency", "address", 42), "currency.address", null);
	}

	@Test
	void anOnchainCurrencysTokenIsDescribedLaterByTheBrandOrTheOperator() {
		TestBrand brand = this.client.createBrand(Map.of("name", "Token later", "currency",
				Map.of("code", "USDC", "kind", "onchain-currency", "decimals", 6)));
		this.client.fund(brand, 700);
		String evm = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";

		// The brand, with its API key: the currency's balance with the details as saved.
		ApiResponse saved = this.client.api(brand, "PATCH", "/v1/wallet/currencies/USDC",
				"{\"address\":\"" + evm + "\",\"chain_id\":\"8453\"}");
		assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
		assertThat(saved.json().get("currency").asString()).isEqualTo("USDC");
		assertThat(saved.json().get("kind").asString()).isEqualTo("onchain-currency");
		assertThat(saved.json().get("decimals").asInt()).isEqualTo(6);
		assertThat(saved.json().get("balance").asLong()).isEqualTo(700);
		assertThat(saved.json().get("address").asString()).isEqualTo(evm);
		assertThat(saved.json().get("chain_id").asString()).isEqualTo("8453");
		assertThat(this.client.get(brand, "/v1/wallet").json().at("/balances/0")).isEqualTo(saved.json());

		// Absent fields are kept, null clears one; the operator may do the same.
		ApiResponse chainOnly = this.client.admin("PATCH", "/admin/v1/brands/" + brand.brandId() + "/currencies/USDC",
				"{\"address\":null}");
		assertThat(chainOnly.status()).as(chainOnly.toString()).isEqualTo(200);
		assertThat(chainOnly.json().get("address").isNull()).isTrue();
		assertThat(chainOnly.json().get("chain_id").asString()).isEqualTo("8453");
		assertThat(this.client.admin("GET", "/admin/v1/brands/" + brand.brandId() + "/wallet", null)
			.json()
			.at("/balances/0")).isEqualTo(chainOnly.json());
		assertThat(
				this.client.api(brand, "PATCH", "/v1/wallet/currencies/USDC", "{}").json().get("chain_id").asString())
			.isEqualTo("8453");

		// Refused, naming what is wrong, and nothing changes.
		assertProblem(this.client.api(brand, "PATCH", "/v1/wallet/currencies/USDC", "{\"address\":\"0x12\"}"), 400,
				"address starting with 0x must be 0x followed by 40 hex digits");
		assertProblem(this.client.api(brand, "PATCH", "/v1/wallet/currencies/USDC", "{\"chain_id\":\"base main\"}"),
				400, "chain_id must be 1 to 64 letters");
		assertProblem(this.client.api(brand, "PATCH", "/v1/wallet/currencies/USDC", "{\"address\":7}"), 400,
				"'address' must be a string");
		assertProblem(this.client.api(brand, "PATCH", "/v1/wallet/currencies/USDC", "{\"decimals\":2}"), 400,
				"Unknown field 'decimals'");
		assertProblem(this.client.api(brand, "PATCH", "/v1/wallet/currencies/USDC", "[]"), 400, "JSON object");
		ApiResponse unknown = this.client.api(brand, "PATCH", "/v1/wallet/currencies/EUR", "{\"chain_id\":\"1\"}");
		assertProblem(unknown, 404, "no currency 'EUR'");
		assertThat(unknown.problemCode()).isEqualTo("currency_not_found");
		assertProblem(this.client.api(brand, "PATCH", "/v1/wallet/currencies/RSNC", "{\"chain_id\":\"1\"}"), 400,
				"network's currency");
		assertThat(this.client.get(brand, "/v1/wallet").json().at("/balances/0")).isEqualTo(chainOnly.json());

		// Points and airdrops have no token; an unknown brand is not found.
		TestBrand points = this.client.createBrand();
		assertProblem(this.client.api(points, "PATCH", "/v1/wallet/currencies/POINT", "{\"chain_id\":\"1\"}"), 400,
				"Only a currency of kind onchain-currency");
		assertThat(this.client
			.admin("PATCH", "/admin/v1/brands/0x" + "0".repeat(40) + "/currencies/USDC", "{\"chain_id\":\"1\"}")
			.problemCode()).isEqualTo("brand_not_found");
		// Another brand's key does not reach this brand's currency.
		assertThat(this.client.api(points, "PATCH", "/v1/wallet/currencies/USDC", "{\"chain_id\":\"1\"}").status())
			.isEqualTo(404);
		assertThat(this.client.send("PATCH", "/v1/wallet/currencies/USDC", "{}", Map.of()).status()).isEqualTo(401);
	}

	private void assertInvalid(Map<String, Object> currency, String field, String detailPart) {
		ApiResponse refused = this.client.admin("POST", "/admin/v1/brands",
				ResonanceClient.json(Map.of("name", "x", "currency", currency)));
		assertProblem(refused, 400, field);
		assertThat(refused.problemCode()).isEqualTo("invalid_request");
		if (detailPart != null) {
			assertThat(refused.json().get("detail").asString()).contains(detailPart);
		}
	}

	@Test
	void listsBrandsPageByPage() {
		for (int i = 0; i < 3; i++) {
			this.client.createBrand();
		}
		Set<String> seen = new HashSet<>();
		String cursor = null;
		int pages = 0;
		do {
			ApiResponse page = this.client.admin("GET",
					"/admin/v1/brands?limit=2" + ((cursor != null) ? "&starting_after=" + cursor : ""), null);
			assertThat(page.status()).isEqualTo(200);
			JsonNode body = page.json();
			assertThat(body.get("data").size()).isLessThanOrEqualTo(2);
			body.get("data").forEach((brand) -> assertThat(seen.add(brand.get("brand_id").asString())).isTrue());
			cursor = body.get("has_more").asBoolean() ? body.get("next_cursor").asString() : null;
			pages++;
		}
		while (cursor != null && pages < 1_000);
		assertThat(seen.size()).isGreaterThanOrEqualTo(3);
		assertProblem(this.client.admin("GET", "/admin/v1/brands?limit=0", null), 400, "limit");
		assertProblem(this.client.admin("GET", "/admin/v1/brands?limit=abc", null), 400,
				"Query parameter 'limit' must be a whole number, not 'abc'.");
		// A blank value is not the default page, and only decimal digits are a number.
		assertProblem(this.client.admin("GET", "/admin/v1/brands?limit=", null), 400,
				"Query parameter 'limit' is empty");
		assertProblem(this.client.admin("GET", "/admin/v1/brands?limit=%20", null), 400,
				"Query parameter 'limit' is empty");
		assertProblem(this.client.admin("GET", "/admin/v1/brands?limit=0x10", null), 400, "not '0x10'");
		assertProblem(this.client.admin("GET", "/admin/v1/brands?limit=%2B5", null), 400, "not '+5'");
		assertProblem(this.client.admin("GET", "/admin/v1/brands?limit=99999999999999999999999", null), 400,
				"Query parameter 'limit' is out of range.");
		assertProblem(this.client.admin("GET", "/admin/v1/brands?limit=" + "x".repeat(500), null), 400,
				"not '" + "x".repeat(40) + "…'");
		ApiResponse leadingZero = this.client.admin("GET", "/admin/v1/brands?limit=002", null);
		assertThat(leadingZero.status()).as(leadingZero.toString()).isEqualTo(200);
		assertThat(leadingZero.json().get("data").size()).isEqualTo(2);
		assertProblem(this.client.admin("GET", "/admin/v1/brands?starting_after=nope", null), 400, "starting_after");
	}

	@Test
	void changesSettingsAndClearsLimitsWithNull() {
		TestBrand brand = this.client.createBrand();
		ApiResponse patched = this.client.adminPatch(brand, Map.of("name", "Renamed", "rate_limit_per_minute", 600,
				"daily_event_limit", 20, "require_timestamp", true));
		assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
		assertThat(patched.json().get("rate_limit_per_minute").asInt()).isEqualTo(600);
		assertThat(patched.json().get("daily_event_limit").asInt()).isEqualTo(20);
		ApiResponse cleared = this.client.admin("PATCH", "/admin/v1/brands/" + brand.brandId(),
				"{\"daily_event_limit\": null}");
		assertThat(cleared.json().get("daily_event_limit").isNull()).isTrue();
		assertThat(cleared.json().get("name").asString()).isEqualTo("Renamed");

		assertProblem(this.client.admin("PATCH", "/admin/v1/brands/" + brand.brandId(), "{\"brand_id\":\"0x1\"}"), 400,
				"Unknown field 'brand_id'");
		assertProblem(this.client.adminPatch(brand, Map.of("rate_limit_per_minute", -1)), 400, "rate_limit_per_minute");
		assertProblem(this.client.adminPatch(brand, Map.of("require_timestamp", "yes")), 400, "require_timestamp");
		assertProblem(this.client.admin("PATCH", "/admin/v1/brands/0x" + "9".repeat(40), "{\"name\":\"x\"}"), 404,
				null);
	}

	@Test
	void rotatingTheApiKeyRevokesTheOldOneAtOnceByDefault() {
		TestBrand brand = this.client.createBrand();
		assertThat(this.client.get(brand, "/v1/wallet").status()).isEqualTo(200);
		ApiResponse rotated = this.client.admin("POST", "/admin/v1/brands/" + brand.brandId() + "/rotate-api-key",
				null);
		assertThat(rotated.status()).isEqualTo(200);
		TestBrand newKey = new TestBrand(brand.brandId(), brand.secretKey(), rotated.text("api_key"));
		assertThat(this.client.get(brand, "/v1/wallet").status()).isEqualTo(401);
		assertThat(this.client.get(newKey, "/v1/wallet").status()).isEqualTo(200);
	}

	@Test
	void fundsTheWalletThroughTheLedgerOncePerIdempotencyKey() {
		TestBrand brand = this.client.createBrand();
		String path = "/admin/v1/brands/" + brand.brandId() + "/wallet/credits";
		Map<String, String> headers = Map.of("Authorization", "Bearer test-admin-token", "Idempotency-Key", "fund-1");
		ApiResponse first = this.client.send("POST", path, "{\"amount\": 5000}", headers);
		assertThat(first.status()).isEqualTo(201);
		assertThat(first.json().get("balance").asLong()).isEqualTo(5000);
		ApiResponse replay = this.client.send("POST", path, "{\"amount\": 5000}", headers);
		assertThat(replay.status()).isEqualTo(201);
		assertThat(replay.body()).isEqualTo(first.body());
		assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
		ApiResponse reused = this.client.send("POST", path, "{\"amount\": 6000}", headers);
		assertThat(reused.status()).isEqualTo(422);
		assertThat(reused.problemCode()).isEqualTo("idempotency_key_reused");

		List<ApiResponse> racing = Race.run(12, (i) -> this.client.send("POST", path, "{\"amount\": 100}",
				Map.of("Authorization", "Bearer test-admin-token", "Idempotency-Key", "fund-race")));
		assertThat(racing).allSatisfy((r) -> assertThat(r.status()).isEqualTo(201));
		assertThat(racing.stream().map(ApiResponse::body).distinct()).hasSize(1);
		assertThat(this.client.get(brand, "/v1/wallet").json().get("balance").asLong()).isEqualTo(5100);

		assertProblem(this.client.admin("POST", path, "{\"amount\": 0}"), 400, "amount");
		assertProblem(this.client.admin("POST", path, "{\"amount\": 1.5}"), 400, "amount");
		assertProblem(this.client.admin("POST", path, "{}"), 400, "amount");
		assertProblem(this.client.admin("POST", path, "{\"amount\": 10, \"currency\": \"GEMS\"}"), 400, "GEMS");
		assertProblem(this.client.admin("POST", path, "{\"amount\": " + (Long.MAX_VALUE - 5100) + "}"), 201, null);
		assertProblem(this.client.admin("POST", path, "{\"amount\": 1}"), 422, "amount_out_of_range");
	}

	private static void assertProblem(ApiResponse response, int status, String detailPart) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		if (status >= 400) {
			assertThat(response.header("Content-Type")).startsWith("application/problem+json");
			JsonNode body = response.json();
			assertThat(body.get("status").asInt()).isEqualTo(status);
			assertThat(body.get("type").asString()).startsWith("https://resonance.bot/problems/");
			assertThat(body.get("code").asString()).isNotBlank();
			if (detailPart != null) {
				assertThat(body.get("detail").asString() + " " + body.get("code").asString()).contains(detailPart);
			}
		}
	}

}
