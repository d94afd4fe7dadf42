package bot.resonance.brands.internal;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.brands.Brand;
import bot.resonance.brands.BrandProvisioning;
import bot.resonance.brands.BrandSettings;
import bot.resonance.brands.Wallet;
import bot.resonance.ledger.CurrencyKind;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.platform.web.Page;
import bot.resonance.platform.web.StrictWholeNumbers;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator API for brands: {@code /admin/v1/brands}, an adapter over
 * {@link BrandProvisioning}, {@link BrandSettings} and {@link Wallet}.
 */
@RestController
@RequestMapping("/admin/v1/brands")
@Tag(name = "Operator: brands",
		description = "Create brands, change their settings, rotate their credentials and fund their wallets. Authenticate with the admin token.")
@SecurityRequirement(name = "adminToken")
class BrandAdminController implements StrictWholeNumbers {

	private final BrandProvisioning provisioning;

	private final BrandSettings settings;

	private final Wallet wallet;

	BrandAdminController(BrandProvisioning provisioning, BrandSettings settings, Wallet wallet) {
		this.provisioning = provisioning;
		this.settings = settings;
		this.wallet = wallet;
	}

	@PostMapping
	@Operation(operationId = "createBrand", summary = "Create a brand",
			responses = @ApiResponse(responseCode = "201", description = "Created; Location names the brand"),
			description = "Returns the brand with its secret_key (signs event API requests) and api_key (management API). Both are shown only here.")
	ResponseEntity<CreatedBrandResponse> create(@Valid @RequestBody CreateBrandRequest request) {
		CurrencyRequest currency = (request.currency() != null) ? request.currency()
				: new CurrencyRequest("POINT", null, null, null, null);
		CurrencyKind kind = (currency.kind() != null)
				? CurrencyKind.fromWireName(currency.kind())
					.orElseThrow(() -> ApiException
						.invalidRequest("currency.kind must be point, onchain-currency or airdrop."))
				: CurrencyKind.POINT;
		var created = this.provisioning.create(new BrandProvisioning.NewBrand(request.name(), request.brandId(),
				new BrandProvisioning.NewCurrency(currency.code(), kind,
						(currency.decimals() != null) ? currency.decimals() : 0, currency.address(),
						currency.chainId()),
				request.rateLimitPerMinute(), request.dailyEventLimit(), request.requireTimestamp()));
		Brand brand = created.brand();
		return ResponseEntity.created(URI.create("/admin/v1/brands/" + brand.brandId()))
			.body(CreatedBrandResponse.of(brand, created.secretKey(), created.apiKey()));
	}

	@GetMapping
	@Operation(operationId = "listBrands", summary = "List brands",
			responses = @ApiResponse(responseCode = "200",
					description = "A page of brands, oldest first, without credentials; next_cursor continues it"),
			description = "Oldest first. Pass next_cursor as starting_after for the next page.")
	Page<Brand> list(@RequestParam(name = "limit", required = false) @Nullable Integer limit,
			@RequestParam(name = "starting_after", required = false) @Nullable String startingAfter) {
		return this.provisioning.list(startingAfter, Page.limit(limit));
	}

	@GetMapping("/{brand_id}")
	@Operation(operationId = "getBrand", summary = "Get a brand",
			responses = @ApiResponse(responseCode = "200", description = "The brand's settings, without credentials"),
			description = "Its settings, without credentials. brand_not_found (404) for an unknown id.")
	Brand get(@PathVariable("brand_id") String brandId) {
		return this.settings.get(brandId);
	}

	@PatchMapping("/{brand_id}")
	@Operation(operationId = "updateBrand", summary = "Change a brand's settings",
			responses = @ApiResponse(responseCode = "200", description = "The brand's settings as saved"),
			description = "Any of name, rate_limit_per_minute, daily_event_limit (null removes the limit), require_timestamp, and for manual events domains, allow_unsigned_manual_events and unsigned_manual_event_max_amount.")
	Brand update(@PathVariable("brand_id") String brandId, @io.swagger.v3.oas.annotations.parameters.RequestBody(
			content = @io.swagger.v3.oas.annotations.media.Content(schema = @io.swagger.v3.oas.annotations.media.Schema(
					implementation = BrandPatch.class))) @RequestBody JsonNode body) {
		return this.settings.update(brandId, JsonPatch.of(body, BrandSettings.FIELDS));
	}

	@PatchMapping("/{brand_id}/currencies/{code}")
	@Operation(operationId = "describeBrandToken", summary = "Say which token a brand's on-chain currency is",
			responses = @ApiResponse(responseCode = "200",
					description = "The currency's balance with its token address and chain as saved"),
			description = "As PATCH /v1/wallet/currencies/{code}, for the operator: address and chain_id of one of "
					+ "the brand's onchain-currency currencies (absent fields are kept, null clears one).")
	Wallet.Balance describeToken(@PathVariable("brand_id") String brandId, @PathVariable("code") String code,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @io.swagger.v3.oas.annotations.media.Content(
							schema = @io.swagger.v3.oas.annotations.media.Schema(
									implementation = WalletController.TokenPatch.class))) @RequestBody JsonNode body) {
		return this.wallet.describeToken(brandId, code, JsonPatch.of(body, Wallet.TOKEN_FIELDS));
	}

	@PostMapping("/{brand_id}/rotate-secret")
	@Operation(operationId = "rotateBrandSecret", summary = "Rotate the HMAC secret key",
			responses = @ApiResponse(responseCode = "200",
					description = "The new secret_key, and when the previous one stops verifying"),
			description = "Returns a new secret_key. The previous one keeps verifying for grace_period_seconds (default 24 hours).")
	RotatedSecretResponse rotateSecret(@PathVariable("brand_id") String brandId,
			@Valid @RequestBody(required = false) @Nullable RotateRequest request) {
		var rotated = this.provisioning.rotateSecret(brandId, gracePeriod(request));
		return new RotatedSecretResponse(rotated.brandId(), rotated.credential(), rotated.previousExpiresAt());
	}

	@PostMapping("/{brand_id}/rotate-api-key")
	@Operation(operationId = "rotateBrandApiKey", summary = "Rotate the API key",
			responses = @ApiResponse(responseCode = "200",
					description = "The new api_key, and when the previous one stops working"),
			description = "Returns a new api_key. The previous one stops working after grace_period_seconds (default: at once).")
	RotatedApiKeyResponse rotateApiKey(@PathVariable("brand_id") String brandId,
			@Valid @RequestBody(required = false) @Nullable RotateRequest request) {
		var rotated = this.provisioning.rotateApiKey(brandId, gracePeriod(request));
		return new RotatedApiKeyResponse(rotated.brandId(), rotated.credential(), rotated.previousExpiresAt());
	}

	@PostMapping("/{brand_id}/wallet/credits")
	@Operation(operationId = "fundBrandWallet", summary = "Fund the brand's wallet",
			responses = { @ApiResponse(responseCode = "201", description = "Credited"),
					@ApiResponse(responseCode = "200",
							description = "Already credited with this Idempotency-Key: the first answer") },
			description = "Moves amount (smallest unit) from the currency's issuance account to the brand wallet. With an Idempotency-Key the credit happens once.")
	ResponseEntity<FundingResponse> fund(@PathVariable("brand_id") String brandId,
			@Valid @RequestBody CreditRequest request,
			@Parameter(description = "Your unique key for this credit: retries with it credit once",
					example = "credit-2026-11-23-001") @RequestHeader(name = "Idempotency-Key",
							required = false) @Nullable String idempotencyKey) {
		var funding = this.wallet.fund(brandId, request.amount(), request.currency(), request.reference(),
				idempotencyKey);
		return ResponseEntity.status(funding.alreadyPosted() ? HttpStatus.OK : HttpStatus.CREATED)
			.body(new FundingResponse(funding.transferId(), funding.brandId(), funding.currency(), funding.amount(),
					funding.balance()));
	}

	@GetMapping("/{brand_id}/wallet")
	@Operation(operationId = "getBrandWallet", summary = "Get the brand's wallet balances",
			responses = @ApiResponse(responseCode = "200",
					description = "The brand's balance in its default currency and in every currency"),
			description = "The same view as GET /v1/wallet, for the operator: the default currency's balance and every "
					+ "currency's.")
	Wallet.WalletView wallet(@PathVariable("brand_id") String brandId) {
		return this.wallet.balances(brandId);
	}

	private static @Nullable Duration gracePeriod(@Nullable RotateRequest request) {
		return (request != null && request.gracePeriodSeconds() != null)
				? Duration.ofSeconds(request.gracePeriodSeconds()) : null;
	}

	@Schema(description = "Only name is required; brand_id is generated when absent", example = """
			{"name": "Acme", "brand_id": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", \
			"currency": {"code": "POINT", "kind": "point", "decimals": 0}, "rate_limit_per_minute": 60, \
			"daily_event_limit": null, "require_timestamp": false}""")
	record CreateBrandRequest(@Schema(description = "The brand's name") @NotBlank @Size(max = 200) String name, @Schema(
			description = "The brand's id, 0x and 40 hex digits (its wallet address); generated when absent, stored in lower case") @Nullable @Pattern(
					regexp = "0[xX][0-9a-fA-F]{40}", message = "must be 0x followed by 40 hex digits") String brandId,
			@Schema(description = "The brand's default currency") @Nullable @Valid CurrencyRequest currency,
			@Schema(description = "Event API requests per minute, 1 to 1000000; 60 when absent") @Nullable @Min(1) @Max(1_000_000) Integer rateLimitPerMinute,
			@Schema(description = "Rewards per member per UTC day across all types; null: none") @Nullable @Min(1) @Max(1_000_000) Integer dailyEventLimit,
			@Schema(description = "Whether event API requests must carry X-Resonance-Timestamp") @Nullable Boolean requireTimestamp) {
	}

	@Schema(description = "The brand's default currency; POINT (point, 0 decimals) when absent")
	record CurrencyRequest(
			@Schema(description = "1 to 16 upper-case letters, digits or _, starting with a letter") @NotBlank @Pattern(
					regexp = "[A-Z][A-Z0-9_]{0,15}",
					message = "must be 1 to 16 upper-case letters, digits or _, starting with a letter") String code,
			@Schema(description = "point when absent", allowableValues = {
					"point", "onchain-currency", "airdrop" }) @Nullable String kind,
			@Schema(description = "0 to 18; 0 when absent") @Nullable @Min(0) @Max(18) Integer decimals,
			@Schema(description = "onchain-currency only, optional: the token's address (contract, mint or issuer), "
					+ "1 to 128 letters or digits; 0x and 40 hex digits when it starts with 0x. "
					+ "Sent in reward webhooks' movement.currency",
					example = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913") @Nullable @Pattern(
							regexp = "[A-Za-z0-9]{1,128}",
							message = "must be 1 to 128 letters or digits") String address,
			@Schema(description = "onchain-currency only, optional: the chain the token lives on, 1 to 64 letters, "
					+ "digits, :, _ or - (1, 8453, eip155:1, solana:mainnet). Sent in reward webhooks' movement.currency",
					example = "8453") @Nullable @Pattern(regexp = "[A-Za-z0-9:_-]{1,64}",
							message = "must be 1 to 64 letters, digits, ':', '_' or '-'") String chainId){
	}

	@Schema(description = "Absent fields are kept", example = """
			{"rate_limit_per_minute": 120, "daily_event_limit": null, "domains": ["shop.example.com"]}""")
	record BrandPatch(@Schema(description = "The brand's name") @Nullable String name,
			@Schema(description = "Event API requests per minute, 1 to 1000000") @Nullable Integer rateLimitPerMinute,
			@Schema(description = "Rewards per member per UTC day across all types; null removes the limit") @Nullable Integer dailyEventLimit,
			@Schema(description = "Whether event API requests must carry X-Resonance-Timestamp") @Nullable Boolean requireTimestamp,
			@Schema(description = "Manual events: up to 20 host names or origins that name this brand; a domain belongs to one brand") java.util.@Nullable List<String> domains,
			@Schema(description = "Manual events: whether unsigned ones are accepted (false by default)") @Nullable Boolean allowUnsignedManualEvents,
			@Schema(description = "Manual events: the largest amount an unsigned one may award (100 by default)") @Nullable Long unsignedManualEventMaxAmount) {
	}

	@Schema(example = """
			{"grace_period_seconds": 600}""")
	record RotateRequest(@Schema(
			description = "How long the previous credential keeps working, 0 to 2592000") @Nullable @Min(0) @Max(2_592_000) Long gracePeriodSeconds) {
	}

	@Schema(description = "amount in the currency's smallest unit; currency defaults to the brand's", example = """
			{"amount": 100000}""")
	record CreditRequest(
			@Schema(description = "What to credit, in the currency's smallest unit") @NotNull @Positive Long amount,
			@Schema(description = "The currency; the brand's default when absent, RSNC for the network currency") @Nullable @Pattern(
					regexp = "[A-Z][A-Z0-9_]{0,15}", message = "must be a currency code") String currency,
			@Schema(description = "Your own reference, kept with the transfer") @Nullable @Size(
					max = 200) String reference) {
	}

	/** The brand as {@code GET} shows it, with the credentials shown only here. */
	record CreatedBrandResponse(String brandId, String name, int rateLimitPerMinute, @Nullable Integer dailyEventLimit,
			boolean requireTimestamp, String defaultCurrency, Instant createdAt, Instant updatedAt,
			List<String> domains, boolean allowUnsignedManualEvents, long unsignedManualEventMaxAmount,
			String secretKey, String apiKey) {

		static CreatedBrandResponse of(Brand brand, String secretKey, String apiKey) {
			return new CreatedBrandResponse(brand.brandId(), brand.name(), brand.rateLimitPerMinute(),
					brand.dailyEventLimit(), brand.requireTimestamp(), brand.defaultCurrency(), brand.createdAt(),
					brand.updatedAt(), brand.domains(), brand.allowUnsignedManualEvents(),
					brand.unsignedManualEventMaxAmount(), secretKey, apiKey);
		}

	}

	record RotatedSecretResponse(String brandId, String secretKey, @Nullable Instant previousSecretExpiresAt) {
	}

	record RotatedApiKeyResponse(String brandId, String apiKey, @Nullable Instant previousApiKeyExpiresAt) {
	}

	record FundingResponse(long transferId, String brandId, String currency, long amount, long balance) {
	}

}
