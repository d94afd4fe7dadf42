package bot.resonance.brands;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import bot.resonance.ledger.CurrencyKind;
import bot.resonance.platform.web.Page;

/**
 * The operator's use cases on brands as tenants: creating them (with their currency and
 * first credentials), listing them, and rotating their credentials. Credentials are
 * returned only by the call that issues them. Refusals are
 * {@link bot.resonance.platform.web.ApiException}s with the operator API's codes.
 */
public interface BrandProvisioning {

	/**
	 * Creates a brand, defines its currency and issues its secret key and API key.
	 * {@code brand_exists} (409) if the id is taken.
	 */
	CreatedBrand create(NewBrand request);

	/** Brands oldest first, after {@code startingAfter} (a brand id) if given. */
	Page<Brand> list(@Nullable String startingAfter, int limit);

	/**
	 * Issues a new secret key; the previous ones keep verifying for {@code gracePeriod}
	 * ({@code null}: {@code resonance.brands.secret-grace-period}).
	 */
	RotatedCredential rotateSecret(String brandId, @Nullable Duration gracePeriod);

	/**
	 * Issues a new API key; the previous ones keep working for {@code gracePeriod}
	 * ({@code null}: {@code resonance.brands.api-key-grace-period}).
	 */
	RotatedCredential rotateApiKey(String brandId, @Nullable Duration gracePeriod);

	/**
	 * The brand's credentials that work now (the current ones and those rotated out but
	 * still in their grace period), newest first, without their values: when each was
	 * issued and when it stops working. {@code brand_not_found} (404) for an unknown
	 * brand.
	 */
	CredentialState credentials(String brandId);

	/**
	 * What the operator asked for when creating a brand; {@link #create} refuses
	 * ({@code invalid_request}) what the operator API would refuse.
	 *
	 * @param name display name, 1 to 200 characters
	 * @param brandId the brand's id ({@code 0x} + 40 hex digits), or {@code null} to
	 * generate one
	 * @param currency the brand's default currency (code: an upper-case letter, then up
	 * to 15 upper-case letters, digits or _)
	 * @param rateLimitPerMinute event API requests per minute, 1 to 1,000,000
	 * ({@code null}: 60)
	 * @param dailyEventLimit rewarded events per member per UTC day, 1 to 1,000,000
	 * ({@code null}: none)
	 * @param requireTimestamp whether event requests must carry a timestamp
	 */
	record NewBrand(String name, @Nullable String brandId, NewCurrency currency, @Nullable Integer rateLimitPerMinute,
			@Nullable Integer dailyEventLimit, @Nullable Boolean requireTimestamp) {
	}

	/**
	 * A currency to define.
	 *
	 * @param code an upper-case letter, then up to 15 upper-case letters, digits or _
	 * @param kind point, on-chain currency or airdrop
	 * @param decimals 0 to 18
	 * @param address an on-chain currency's token address, 1 to 128 letters and digits
	 * ({@code 0x} + 40 hex digits when it starts with {@code 0x}), or {@code null}
	 * @param chainId an on-chain currency's chain, 1 to 64 letters, digits, {@code :},
	 * {@code _} or {@code -}, or {@code null}
	 */
	record NewCurrency(String code, CurrencyKind kind, int decimals, @Nullable String address,
			@Nullable String chainId) {

		/** A currency without on-chain details. */
		public NewCurrency(String code, CurrencyKind kind, int decimals) {
			this(code, kind, decimals, null, null);
		}

	}

	/** A new brand with its credentials, shown only here. */
	record CreatedBrand(Brand brand, String secretKey, String apiKey) {
	}

	/**
	 * A newly issued credential.
	 *
	 * @param brandId the brand
	 * @param credential the new secret key or API key
	 * @param previousExpiresAt when the previous one stops working ({@code null}: there
	 * was none)
	 */
	record RotatedCredential(String brandId, String credential, @Nullable Instant previousExpiresAt) {
	}

	/**
	 * The brand's working credentials, newest first.
	 *
	 * @param brandId the brand
	 * @param secretKeys its secret keys (sign event API requests)
	 * @param apiKeys its API keys (management API)
	 */
	record CredentialState(String brandId, List<IssuedCredential> secretKeys, List<IssuedCredential> apiKeys) {
	}

	/**
	 * A credential as issued, without its value.
	 *
	 * @param createdAt when it was issued
	 * @param expiresAt when it stops working ({@code null}: not rotated out)
	 * @param hint the last characters of an API key, to tell keys apart ({@code null} for
	 * secret keys)
	 */
	record IssuedCredential(Instant createdAt, @Nullable Instant expiresAt, @Nullable String hint) {
	}

}
