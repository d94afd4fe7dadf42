package bot.resonance.brands;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.ledger.CurrencyKind;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.support.TestClockConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.modulith.test.ApplicationModuleTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The brands module's services called directly, as the portal and the bot call them (no
 * HTTP): a settings change is validated exactly as the operator API validates it, every
 * reader sees it once it commits, and the wallet is funded once per idempotency key.
 */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES)
@Import(TestClockConfiguration.class)
class BrandsModuleTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	BrandProvisioning provisioning;

	@Autowired
	BrandSettings settings;

	@Autowired
	Wallet wallet;

	@Autowired
	Brands brands;

	@Test
	void aSettingsChangeIsValidatedLikeTheApiDoes() {
		String brandId = newBrand("Settings");

		refused(() -> this.settings.update(brandId, change("{\"rate_limit_per_minute\": 0}")), HttpStatus.BAD_REQUEST,
				"invalid_request", "rate_limit_per_minute");
		refused(() -> this.settings.update(brandId, change("{\"domains\": [\"not a host\"]}")), HttpStatus.BAD_REQUEST,
				"invalid_request", "not a host");
		refused(() -> this.settings.update(brandId, change("{\"unsigned_manual_event_max_amount\": -1}")),
				HttpStatus.BAD_REQUEST, "invalid_request", "unsigned_manual_event_max_amount");
		refused(() -> this.settings.update(brandId, change("{\"name\": \"  \"}")), HttpStatus.BAD_REQUEST,
				"invalid_request", "name");
		refused(() -> JsonPatch.of(JSON.readTree("{\"default_currency\": \"GEM\"}"), BrandSettings.FIELDS),
				HttpStatus.BAD_REQUEST, "invalid_request", "default_currency");
		refused(() -> this.settings.update("0x" + "0".repeat(40), change("{\"name\": \"Nobody\"}")),
				HttpStatus.NOT_FOUND, "brand_not_found", "brand_id");
		assertThat(this.settings.get(brandId).rateLimitPerMinute()).isEqualTo(60);
		assertThat(this.settings.get(brandId).domains()).isEmpty();
	}

	@Test
	void aSettingsChangeIsSeenByEveryReaderOnceItCommits() {
		String brandId = newBrand("Shop");
		assertThat(this.brands.find(brandId)).hasValueSatisfying((brand) -> assertThat(brand.domains()).isEmpty());

		// A domain belongs to one brand in the whole database: use one of its own.
		String domain = "shop-" + brandId.substring(2, 14) + ".example.com";

		Brand changed = this.settings.update(brandId.toUpperCase().replace("0X", "0x"),
				change("{\"domains\": [\"https://" + domain.toUpperCase() + "/\", \"" + domain + "\"], "
						+ "\"allow_unsigned_manual_events\": true, \"unsigned_manual_event_max_amount\": 25, "
						+ "\"daily_event_limit\": 3}"));

		assertThat(changed.domains()).containsExactly(domain);
		assertThat(changed.allowUnsignedManualEvents()).isTrue();
		assertThat(changed.unsignedManualEventMaxAmount()).isEqualTo(25);
		assertThat(changed.dailyEventLimit()).isEqualTo(3);
		assertThat(this.settings.get(brandId)).isEqualTo(changed);
		assertThat(this.brands.find(brandId)).contains(changed);
		assertThat(this.brands.findByOrigin("https://" + domain)).contains(changed);

		String other = newBrand("Other");
		refused(() -> this.settings.update(other, change("{\"domains\": [\"" + domain + "\"]}")), HttpStatus.CONFLICT,
				"domain_taken", domain);
		assertThat(this.settings.update(brandId, change("{\"daily_event_limit\": null, \"domains\": null}")))
			.satisfies((brand) -> {
				assertThat(brand.dailyEventLimit()).isNull();
				assertThat(brand.domains()).isEmpty();
			});
	}

	@Test
	void theWalletIsFundedOncePerIdempotencyKey() {
		String brandId = newBrand("Wallet");
		assertThat(this.wallet.balances(brandId).balances()).containsExactly(
				new Wallet.Balance("POINT", CurrencyKind.POINT, 0, 0),
				new Wallet.Balance("RSNC", CurrencyKind.POINT, 0, 0));

		Wallet.Funding first = this.wallet.fund(brandId, 500, null, "launch", "key-1");
		Wallet.Funding again = this.wallet.fund(brandId, 500, "POINT", "launch", "key-1");
		Wallet.Funding second = this.wallet.fund(brandId, 200, null, null, null);

		assertThat(first.alreadyPosted()).isFalse();
		assertThat(first.balance()).isEqualTo(500);
		assertThat(again.alreadyPosted()).isTrue();
		assertThat(again.transferId()).isEqualTo(first.transferId());
		assertThat(second.balance()).isEqualTo(700);
		Wallet.WalletView view = this.wallet.balances(brandId);
		assertThat(view.currency()).isEqualTo("POINT");
		assertThat(view.balance()).isEqualTo(700);
		refused(() -> this.wallet.fund(brandId, 1, "GEM", null, null), HttpStatus.BAD_REQUEST, "invalid_request",
				"GEM");
		refused(() -> this.wallet.balances("not a brand"), HttpStatus.NOT_FOUND, "brand_not_found", "not a brand");
	}

	@Test
	void aRotatedApiKeyReplacesThePreviousOne() {
		BrandProvisioning.CreatedBrand created = this.provisioning.create(new BrandProvisioning.NewBrand("Keys", null,
				new BrandProvisioning.NewCurrency("GEM", CurrencyKind.POINT, 2), null, null, null));
		assertThat(this.brands.authenticateApiKey(created.apiKey())).isPresent();

		BrandProvisioning.RotatedCredential rotated = this.provisioning.rotateApiKey(created.brand().brandId(),
				Duration.ZERO);

		assertThat(rotated.credential()).isNotEqualTo(created.apiKey());
		assertThat(this.brands.authenticateApiKey(created.apiKey())).isEmpty();
		assertThat(this.brands.authenticateApiKey(rotated.credential()))
			.hasValueSatisfying((brand) -> assertThat(brand.brandId()).isEqualTo(created.brand().brandId()));
		assertThat(this.wallet.balances(created.brand().brandId()).balances()).containsExactly(
				new Wallet.Balance("GEM", CurrencyKind.POINT, 2, 0),
				new Wallet.Balance("RSNC", CurrencyKind.POINT, 0, 0));
	}

	@Test
	void aBrandIsCreatedOnlyWithWhatTheApiWouldAccept() {
		refused(() -> this.provisioning.create(brand("  ", "POINT", 0, null)), HttpStatus.BAD_REQUEST,
				"invalid_request", "name");
		refused(() -> this.provisioning.create(brand("x".repeat(201), "POINT", 0, null)), HttpStatus.BAD_REQUEST,
				"invalid_request", "name");
		refused(() -> this.provisioning.create(brand("Lower", "point", 0, null)), HttpStatus.BAD_REQUEST,
				"invalid_request", "currency.code");
		refused(() -> this.provisioning.create(brand("Decimals", "POINT", 19, null)), HttpStatus.BAD_REQUEST,
				"invalid_request", "currency.decimals");
		refused(() -> this.provisioning.create(brand("Rate", "POINT", 0, 0)), HttpStatus.BAD_REQUEST, "invalid_request",
				"rate_limit_per_minute");
		refused(() -> this.provisioning.create(new BrandProvisioning.NewBrand("Daily", null,
				new BrandProvisioning.NewCurrency("POINT", CurrencyKind.POINT, 0), null, 1_000_001, null)),
				HttpStatus.BAD_REQUEST, "invalid_request", "daily_event_limit");
		assertThat(this.provisioning.create(brand(" Trimmed ", "GEM_2", 18, 1_000_000)).brand()).satisfies((brand) -> {
			assertThat(brand.name()).isEqualTo("Trimmed");
			assertThat(brand.rateLimitPerMinute()).isEqualTo(1_000_000);
		});
	}

	private static BrandProvisioning.NewBrand brand(String name, String currency, int decimals,
			Integer rateLimitPerMinute) {
		return new BrandProvisioning.NewBrand(name, null,
				new BrandProvisioning.NewCurrency(currency, CurrencyKind.POINT, decimals), rateLimitPerMinute, null,
				null);
	}

	private String newBrand(String name) {
		return this.provisioning
			.create(new BrandProvisioning.NewBrand(name, null,
					new BrandProvisioning.NewCurrency("POINT", CurrencyKind.POINT, 0), null, null, null))
			.brand()
			.brandId();
	}

	private static JsonPatch change(String json) {
		return JsonPatch.of(JSON.readTree(json), BrandSettings.FIELDS);
	}

	private static void refused(Runnable call, HttpStatus status, String code, String mentioning) {
		assertThatExceptionOfType(ApiException.class).isThrownBy(call::run).satisfies((ex) -> {
			assertThat(ex.status()).isEqualTo(status);
			assertThat(ex.code()).isEqualTo(code);
			assertThat(ex.getMessage()).contains(mentioning);
		});
	}

}
