package bot.resonance.brands.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;
import bot.resonance.brands.BrandIds;
import bot.resonance.brands.BrandProvisioning;
import bot.resonance.brands.BrandSettings;
import bot.resonance.brands.BrandsProperties;
import bot.resonance.brands.Wallet;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.CurrencyKind;
import bot.resonance.ledger.NetworkCurrency;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.TransferCode;
import bot.resonance.ledger.TransferOutcome;
import bot.resonance.ledger.TransferRequest;
import bot.resonance.platform.ids.IdGenerator;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.platform.web.Page;
import java.security.SecureRandom;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The use cases on brands: create them and rotate their credentials
 * ({@link BrandProvisioning}), read and change their settings ({@link BrandSettings}),
 * read and fund their wallets ({@link Wallet}).
 */
@Service
class BrandAdministration implements BrandProvisioning, BrandSettings, Wallet {

	static final int DEFAULT_RATE_LIMIT = 60;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,15}");

	private static final Pattern TOKEN_ADDRESS = Pattern.compile("[A-Za-z0-9]{1,128}");

	private static final Pattern EVM_ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

	private static final Pattern CHAIN_ID = Pattern.compile("[A-Za-z0-9:_-]{1,64}");

	private final BrandRepository repository;

	private final BrandCache cache;

	private final Ledger ledger;

	private final BrandsProperties properties;

	private final IdGenerator ids;

	private final Clock clock;

	private final NetworkCurrency network;

	BrandAdministration(BrandRepository repository, BrandCache cache, Ledger ledger, NetworkCurrency network,
			BrandsProperties properties, IdGenerator ids, Clock clock) {
		this.repository = repository;
		this.cache = cache;
		this.ledger = ledger;
		this.network = network;
		this.properties = properties;
		this.ids = ids;
		this.clock = clock;
	}

	@Override
	@Transactional
	public CreatedBrand create(NewBrand request) {
		check(request);
		String brandId = (request.brandId() != null)
				? BrandIds.canonical(request.brandId())
					.orElseThrow(() -> ApiException.invalidRequest("brand_id must be 0x followed by 40 hex digits."))
				: randomBrandId();
		Instant now = this.clock.instant();
		Brand brand = new Brand(brandId, request.name().strip(),
				(request.rateLimitPerMinute() != null) ? request.rateLimitPerMinute() : DEFAULT_RATE_LIMIT,
				request.dailyEventLimit(), Boolean.TRUE.equals(request.requireTimestamp()), request.currency().code(),
				now, now);
		if (!this.repository.insert(brand)) {
			throw ApiException.conflict("brand_exists", "A brand with brand_id " + brandId + " already exists.");
		}
		NewCurrency currency = request.currency();
		this.ledger.defineCurrency(new Currency(brandId, currency.code(), currency.kind(), currency.decimals(),
				currency.address(), currency.chainId()));
		String secretKey = Credentials.newSecretKey();
		String apiKey = Credentials.newApiKey(brandId);
		this.repository.insertSecret(brandId, secretKey, now);
		this.repository.insertApiKey(brandId, Credentials.apiKeyHash(apiKey), Credentials.apiKeyHint(apiKey), now);
		evictAfterCommit(brandId);
		return new CreatedBrand(brand, secretKey, apiKey);
	}

	@Override
	public Brand get(String brandId) {
		return find(brandId, false);
	}

	@Override
	public Page<Brand> list(@Nullable String startingAfter, int limit) {
		String after = (startingAfter != null) ? BrandIds.canonical(startingAfter)
			.orElseThrow(() -> ApiException.invalidRequest("starting_after must be a brand_id.")) : null;
		return Page.of(this.repository.list(after, limit + 1), limit, Brand::brandId);
	}

	@Override
	@Transactional
	public Brand update(String brandId, JsonPatch patch) {
		Brand current = find(brandId, true);
		String name = patch.has("name") ? patch.string("name", 200) : current.name();
		int rateLimit = patch.has("rate_limit_per_minute")
				? (int) patch.wholeNumber("rate_limit_per_minute", 1, 1_000_000) : current.rateLimitPerMinute();
		Integer dailyLimit = current.dailyEventLimit();
		if (patch.has("daily_event_limit")) {
			Long value = patch.nullableWholeNumber("daily_event_limit", 1, 1_000_000);
			dailyLimit = (value != null) ? value.intValue() : null;
		}
		boolean requireTimestamp = patch.has("require_timestamp") ? patch.bool("require_timestamp")
				: current.requireTimestamp();
		boolean allowUnsigned = patch.has("allow_unsigned_manual_events") ? patch.bool("allow_unsigned_manual_events")
				: current.allowUnsignedManualEvents();
		long unsignedMax = patch.has("unsigned_manual_event_max_amount")
				? patch.wholeNumber("unsigned_manual_event_max_amount", 1, 1_000_000_000_000L)
				: current.unsignedManualEventMaxAmount();
		List<String> domains = current.domains();
		Instant now = this.clock.instant();
		if (patch.has("domains")) {
			List<String> given = patch.nullableStringList("domains", 20, 300);
			domains = Domains.normalise((given != null) ? given : List.of());
			List<String> taken = this.repository.replaceDomains(current.brandId(), domains, now);
			if (!taken.isEmpty()) {
				throw ApiException.conflict("domain_taken",
						"These domains belong to another brand: " + String.join(", ", taken) + ".");
			}
		}
		Brand updated = new Brand(current.brandId(), name, rateLimit, dailyLimit, requireTimestamp,
				current.defaultCurrency(), current.createdAt(), now, domains, allowUnsigned, unsignedMax);
		this.repository.update(updated);
		evictAfterCommit(current.brandId());
		return updated;
	}

	@Override
	@Transactional
	public RotatedCredential rotateSecret(String brandId, @Nullable Duration gracePeriod) {
		Brand brand = find(brandId, true);
		Instant now = this.clock.instant();
		Duration grace = (gracePeriod != null) ? gracePeriod : this.properties.secretGracePeriod();
		Instant previousExpiry = this.repository.expireActive("brand_secrets", brand.brandId(), now, now.plus(grace));
		String secret = Credentials.newSecretKey();
		this.repository.insertSecret(brand.brandId(), secret, now);
		evictAfterCommit(brand.brandId());
		return new RotatedCredential(brand.brandId(), secret, previousExpiry);
	}

	@Override
	@Transactional
	public RotatedCredential rotateApiKey(String brandId, @Nullable Duration gracePeriod) {
		Brand brand = find(brandId, true);
		Instant now = this.clock.instant();
		Duration grace = (gracePeriod != null) ? gracePeriod : this.properties.apiKeyGracePeriod();
		Instant previousExpiry = this.repository.expireActive("brand_api_keys", brand.brandId(), now, now.plus(grace));
		String apiKey = Credentials.newApiKey(brand.brandId());
		this.repository.insertApiKey(brand.brandId(), Credentials.apiKeyHash(apiKey), Credentials.apiKeyHint(apiKey),
				now);
		evictAfterCommit(brand.brandId());
		return new RotatedCredential(brand.brandId(), apiKey, previousExpiry);
	}

	@Override
	public CredentialState credentials(String brandId) {
		Brand brand = find(brandId, false);
		Instant now = this.clock.instant();
		return new CredentialState(brand.brandId(), this.repository.issuedSecrets(brand.brandId(), now),
				this.repository.issuedApiKeys(brand.brandId(), now));
	}

	/**
	 * Credits the brand's wallet from the currency's issuance account. With an
	 * idempotency key the credit happens once however often it is retried.
	 */
	public Funding fund(String brandId, long amount, @Nullable String currencyCode, @Nullable String reference,
			@Nullable String idempotencyKey) {
		Brand brand = find(brandId, false);
		String code = (currencyCode != null) ? currencyCode : brand.defaultCurrency();
		boolean rsnc = NetworkCurrency.isNetwork(code);
		Currency currency = this.ledger.currency(rsnc ? NetworkCurrency.PARTITION : brand.brandId(), code)
			.orElseThrow(() -> ApiException.invalidRequest("The brand has no currency '" + code + "'."));
		String key = (idempotencyKey != null) ? idempotencyKey : this.ids.ulid();
		AccountKey wallet = this.network.wallet(brand.brandId(), code);
		// RSNC is one partition for every brand: its funding keys are the brand's own.
		TransferRequest transfer = TransferRequest
			.of(TransferCode.FUNDING, rsnc ? brand.brandId() + ":" + key : key,
					rsnc ? NetworkCurrency.issuance() : AccountKey.issuance(brand.brandId(), currency.code()), wallet,
					amount)
			.withReference(reference);
		TransferOutcome outcome = this.ledger.transfer(transfer);
		long balance = this.ledger.balance(wallet);
		return switch (outcome) {
			case TransferOutcome.Posted posted -> new Funding(posted.transfer().id(), brand.brandId(), currency.code(),
					amount, posted.transfer().creditBalanceAfter(), false);
			case TransferOutcome.AlreadyPosted already ->
				new Funding(already.transferId(), brand.brandId(), currency.code(), already.amount(), balance, true);
			case TransferOutcome.OutOfRange outOfRange -> throw ApiException.unprocessable("amount_out_of_range",
					"This credit would take a balance beyond the largest representable amount.");
			case TransferOutcome.Refused refused ->
				throw new IllegalStateException("Funding from the issuance account was refused: " + refused);
		};
	}

	@Override
	public WalletView balances(String brandId) {
		Brand brand = find(brandId, false);
		List<Currency> currencies = new java.util.ArrayList<>(this.ledger.currencies(brand.brandId()));
		currencies.removeIf((c) -> NetworkCurrency.isNetwork(c.code()));
		this.ledger.currency(NetworkCurrency.PARTITION, NetworkCurrency.CODE).ifPresent(currencies::add);
		Map<AccountKey, Long> balances = this.ledger
			.balances(currencies.stream().map((c) -> this.network.wallet(brand.brandId(), c.code())).toList());
		List<Balance> entries = currencies.stream()
			.map((c) -> new Balance(c.code(), c.kind(), c.decimals(), c.address(), c.chainId(),
					balances.getOrDefault(this.network.wallet(brand.brandId(), c.code()), 0L)))
			.toList();
		long defaultBalance = entries.stream()
			.filter((entry) -> entry.currency().equals(brand.defaultCurrency()))
			.mapToLong(Balance::balance)
			.findFirst()
			.orElse(0);
		return new WalletView(brand.brandId(), brand.defaultCurrency(), defaultBalance, entries);
	}

	@Override
	@Transactional
	public Balance describeToken(String brandId, String currencyCode, JsonPatch patch) {
		Brand brand = find(brandId, false);
		if (NetworkCurrency.isNetwork(currencyCode)) {
			throw ApiException.invalidRequest(NetworkCurrency.CODE
					+ " is the network's currency, not the brand's: it has no token of the brand's to describe.");
		}
		Currency current = this.ledger.currency(brand.brandId(), currencyCode)
			.orElseThrow(() -> ApiException.notFound("currency_not_found",
					"The brand has no currency '" + currencyCode + "'. Its currencies are in GET /v1/wallet."));
		if (current.kind() != CurrencyKind.ONCHAIN_CURRENCY) {
			throw ApiException.invalidRequest("Only a currency of kind onchain-currency has a token address and chain; "
					+ current.code() + " is of kind " + current.kind().wireName() + ".");
		}
		String address = patch.has("address") ? patch.nullableString("address", 128) : current.address();
		String chainId = patch.has("chain_id") ? patch.nullableString("chain_id", 64) : current.chainId();
		checkOnchainDetails(new NewCurrency(current.code(), current.kind(), current.decimals(), address, chainId), "");
		Currency updated = this.ledger.describeToken(brand.brandId(), current.code(), address, chainId)
			.orElseThrow(() -> ApiException.notFound("currency_not_found",
					"The brand has no currency '" + currencyCode + "'."));
		AccountKey wallet = this.network.wallet(brand.brandId(), updated.code());
		return new Balance(updated.code(), updated.kind(), updated.decimals(), updated.address(), updated.chainId(),
				this.ledger.balances(List.of(wallet)).getOrDefault(wallet, 0L));
	}

	@Override
	public List<Credit> credits(String brandId, int limit) {
		Brand brand = find(brandId, false);
		List<Currency> currencies = new java.util.ArrayList<>(this.ledger.currencies(brand.brandId()));
		currencies.removeIf((c) -> NetworkCurrency.isNetwork(c.code()));
		this.ledger.currency(NetworkCurrency.PARTITION, NetworkCurrency.CODE).ifPresent(currencies::add);
		Map<String, Integer> decimals = new java.util.HashMap<>();
		currencies.forEach((c) -> decimals.put(c.code(), c.decimals()));
		return this.ledger
			.fundingsInto(currencies.stream().map((c) -> this.network.wallet(brand.brandId(), c.code())).toList(),
					limit)
			.stream()
			.map((transfer) -> new Credit(transfer.id(), transfer.credit().currency(),
					decimals.getOrDefault(transfer.credit().currency(), 0), transfer.amount(), transfer.reference(),
					transfer.createdAt()))
			.toList();
	}

	public List<Movement> movements(String brandId, @Nullable String currencyCode, boolean fundingOnly,
			@Nullable Long before, int limit) {
		Brand brand = find(brandId, false);
		String code = (currencyCode != null) ? currencyCode : brand.defaultCurrency();
		boolean rsnc = NetworkCurrency.isNetwork(code);
		this.ledger.currency(rsnc ? NetworkCurrency.PARTITION : brand.brandId(), code)
			.orElseThrow(() -> ApiException.invalidRequest("The brand has no currency '" + code + "'."));
		AccountKey wallet = this.network.wallet(brand.brandId(), code);
		return this.ledger.transfers(wallet, fundingOnly ? List.of(TransferCode.FUNDING) : List.of(), before, limit)
			.stream()
			.map((transfer) -> {
				boolean credit = transfer.credit().equals(wallet);
				AccountKey other = credit ? transfer.debit() : transfer.credit();
				return new Movement(transfer.id(), transfer.code().dbName(), transfer.phase().dbName(), code,
						credit ? transfer.amount() : -transfer.amount(), counterparty(other), transfer.reference(),
						transfer.createdAt());
			})
			.toList();
	}

	private static String counterparty(AccountKey account) {
		return switch (account.kind()) {
			case ISSUANCE -> "issuance";
			case BRAND_WALLET -> "brand_wallet";
			case MEMBER -> NetworkCurrency.PARTITION.equals(account.brandId()) ? "person" : "mem_" + account.ownerId();
		};
	}

	/**
	 * The operator API's request validation, for callers that do not come through it:
	 * what the API refuses, this refuses too.
	 */
	private static void check(NewBrand request) {
		String name = request.name().strip();
		if (name.isEmpty() || name.length() > 200) {
			throw ApiException.invalidRequest("name must be 1 to 200 characters.");
		}
		if (!CURRENCY_CODE.matcher(request.currency().code()).matches()) {
			throw ApiException.invalidRequest(
					"currency.code must be 1 to 16 upper-case letters, digits or _, starting with a letter.");
		}
		if (NetworkCurrency.isNetwork(request.currency().code())) {
			throw ApiException.invalidRequest("currency.code " + NetworkCurrency.CODE
					+ " is the network's currency: every brand has an " + NetworkCurrency.CODE
					+ " wallet already. Choose another code for the brand's own points.");
		}
		if (request.currency().decimals() < 0 || request.currency().decimals() > 18) {
			throw ApiException.invalidRequest("currency.decimals must be between 0 and 18.");
		}
		checkOnchainDetails(request.currency(), "currency.");
		checkLimit("rate_limit_per_minute", request.rateLimitPerMinute());
		checkLimit("daily_event_limit", request.dailyEventLimit());
	}

	/**
	 * An on-chain currency's token address and chain: only for kind onchain-currency, in
	 * the formats the database keeps, and an EVM address (0x…) whole.
	 */
	private static void checkOnchainDetails(NewCurrency currency, String prefix) {
		if (currency.kind() != CurrencyKind.ONCHAIN_CURRENCY) {
			String given = (currency.address() != null) ? prefix + "address"
					: (currency.chainId() != null) ? prefix + "chain_id" : null;
			if (given != null) {
				throw ApiException.invalidRequest(given + " is only for currencies of kind onchain-currency, not "
						+ currency.kind().wireName() + ".");
			}
			return;
		}
		String address = currency.address();
		if (address != null) {
			if (!TOKEN_ADDRESS.matcher(address).matches()) {
				throw ApiException.invalidRequest(prefix + "address must be 1 to 128 letters or digits.");
			}
			if (address.startsWith("0x") && !EVM_ADDRESS.matcher(address).matches()) {
				throw ApiException
					.invalidRequest(prefix + "address starting with 0x must be 0x followed by 40 hex digits.");
			}
		}
		if (currency.chainId() != null && !CHAIN_ID.matcher(currency.chainId()).matches()) {
			throw ApiException.invalidRequest(prefix
					+ "chain_id must be 1 to 64 letters, digits, ':', '_' or '-' (8453, eip155:1, solana:mainnet).");
		}
	}

	private static void checkLimit(String field, @Nullable Integer value) {
		if (value != null && (value < 1 || value > 1_000_000)) {
			throw ApiException.invalidRequest(field + " must be between 1 and 1000000.");
		}
	}

	private Brand find(String brandId, boolean lock) {
		Optional<String> canonical = BrandIds.canonical(brandId);
		return canonical.flatMap((id) -> this.repository.find(id, lock))
			.orElseThrow(() -> ApiException.notFound("brand_not_found", "No brand with brand_id " + brandId + "."));
	}

	private void evictAfterCommit(String brandId) {
		this.cache.evictEverywhere(brandId);
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					BrandAdministration.this.cache.evict(brandId);
				}
			});
		}
	}

	private static String randomBrandId() {
		byte[] bytes = new byte[20];
		RANDOM.nextBytes(bytes);
		return "0x" + HexFormat.of().formatHex(bytes);
	}

}
