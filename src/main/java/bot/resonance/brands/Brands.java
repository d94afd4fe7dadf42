package bot.resonance.brands;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.internal.BrandCache;
import bot.resonance.brands.internal.BrandRecord;
import bot.resonance.brands.internal.BrandRepository;
import bot.resonance.brands.internal.Credentials;
import bot.resonance.brands.internal.Domains;
import bot.resonance.platform.CharClass;
import bot.resonance.platform.crypto.Hashing;
import org.springframework.stereotype.Service;

/**
 * Looks brands up and checks their credentials: the HMAC signature of event API requests
 * and the API keys of the management API. Reads come from each node's cache.
 */
@Service
public class Brands {

	private static final CharClass LOWER_HEX = CharClass.of("0-9a-f");

	private static final CharClass DIGITS = CharClass.of("0-9");

	private final BrandCache cache;

	private final BrandsProperties properties;

	private final Clock clock;

	private final BrandRepository repository;

	Brands(BrandCache cache, BrandRepository repository, BrandsProperties properties, Clock clock) {
		this.cache = cache;
		this.repository = repository;
		this.properties = properties;
		this.clock = clock;
	}

	/** The brand with this id (any case), if it exists. */
	public Optional<Brand> find(String brandId) {
		return BrandIds.canonical(brandId).flatMap(this.cache::get).map(BrandRecord::brand);
	}

	/**
	 * Checks an event API request: {@code signature} must be the hex HMAC-SHA256, keyed
	 * with one of the brand's current secret keys, of the raw {@code body}, or, when
	 * {@code timestamp} is given, of {@code timestamp + "." + body} with the timestamp
	 * within the tolerance of server time.
	 */
	public SignatureCheck verifyEventSignature(String brandId, byte[] body, @Nullable String signature,
			@Nullable String timestamp) {
		Optional<String> canonical = BrandIds.canonical(brandId);
		if (canonical.isEmpty()) {
			return new SignatureCheck.BrandNotFound();
		}
		Optional<BrandRecord> record = this.cache.get(canonical.get());
		if (record.isEmpty()) {
			return new SignatureCheck.BrandNotFound();
		}
		if (signature == null || signature.isBlank()) {
			return new SignatureCheck.Invalid("The X-Resonance-Signature header is missing.");
		}
		String presented = signature.trim().toLowerCase(Locale.ROOT);
		if (presented.startsWith("sha256=")) {
			presented = presented.substring("sha256=".length());
		}
		if (!LOWER_HEX.matches(presented, 64, 64)) {
			return new SignatureCheck.Invalid(
					"X-Resonance-Signature must be the hex-encoded HMAC-SHA256 of the raw request body (64 hex characters).");
		}
		byte[][] signed;
		if (timestamp != null) {
			String value = timestamp.trim();
			if (!DIGITS.matches(value, 1, 12)) {
				return new SignatureCheck.Invalid("X-Resonance-Timestamp must be a Unix time in seconds.");
			}
			Instant now = this.clock.instant();
			long skew = Math.abs(now.getEpochSecond() - Long.parseLong(value));
			if (skew > this.properties.signatureTolerance().toSeconds()) {
				return new SignatureCheck.Invalid("X-Resonance-Timestamp is more than "
						+ this.properties.signatureTolerance().toMinutes() + " minutes from server time ("
						+ now.getEpochSecond() + "). Sign each request when you send it.");
			}
			signed = new byte[][] { (value + ".").getBytes(StandardCharsets.UTF_8), body };
		}
		else if (record.get().brand().requireTimestamp()) {
			return new SignatureCheck.Invalid("This brand requires the X-Resonance-Timestamp header, and the signature "
					+ "over timestamp + \".\" + body.");
		}
		else {
			signed = new byte[][] { body };
		}
		String expected = presented;
		Function<BrandRecord, Boolean> matches = (brand) -> {
			Instant now = this.clock.instant();
			boolean found = false;
			for (BrandRecord.Secret secret : brand.secrets()) {
				// Every active secret is tried, so timing does not reveal which one
				// matched.
				if (secret.isActiveAt(now) && Hashing.constantTimeEquals(secret.key().hex(signed), expected)) {
					found = true;
				}
			}
			return found;
		};
		if (matches.apply(record.get())) {
			return new SignatureCheck.Valid(record.get().brand());
		}
		Optional<BrandRecord> fresh = this.cache.refreshAfterFailure(canonical.get());
		if (fresh.isPresent() && fresh.get() != record.get() && matches.apply(fresh.get())) {
			return new SignatureCheck.Valid(fresh.get().brand());
		}
		return new SignatureCheck.Invalid("The signature does not match. Sign the exact raw request body with your "
				+ "brand's secret key (HMAC-SHA256, hex).");
	}

	/** The brand an API key belongs to, if the key is valid now. */
	public Optional<Brand> authenticateApiKey(String apiKey) {
		Optional<String> brandId = Credentials.brandOfApiKey(apiKey);
		if (brandId.isEmpty()) {
			return Optional.empty();
		}
		String hash = Credentials.apiKeyHash(apiKey);
		Optional<BrandRecord> record = this.cache.get(brandId.get());
		if (record.isPresent() && hasKey(record.get(), hash)) {
			return record.map(BrandRecord::brand);
		}
		return this.cache.refreshAfterFailure(brandId.get())
			.filter((fresh) -> hasKey(fresh, hash))
			.map(BrandRecord::brand);
	}

	/**
	 * The brand whose configured domains include the host of {@code origin} (an
	 * {@code Origin} header), if any.
	 */
	public Optional<Brand> findByOrigin(@Nullable String origin) {
		return Domains.host(origin).flatMap(this.repository::brandOfDomain).flatMap(this::find);
	}

	/**
	 * The brand one of whose domains is the host a request was sent to (its {@code Host},
	 * or {@code X-Forwarded-Host} when forwarded headers are trusted): a host name that
	 * points at Resonance for this brand alone.
	 */
	public Optional<Brand> findByHost(@Nullable String host) {
		return findByOrigin(host);
	}

	/** Whether {@code origin}'s host is one of the brand's domains. */
	public static boolean isBrandOrigin(Brand brand, @Nullable String origin) {
		return Domains.host(origin).map(brand.domains()::contains).orElse(false);
	}

	/** Forgets this node's copy of a brand, after changing it. */
	public void evict(String brandId) {
		this.cache.evict(brandId);
	}

	private boolean hasKey(BrandRecord record, String hash) {
		Instant now = this.clock.instant();
		boolean found = false;
		for (BrandRecord.Credential key : record.apiKeys()) {
			if (key.isActiveAt(now) && Hashing.constantTimeEquals(key.value(), hash)) {
				found = true;
			}
		}
		return found;
	}

}
