/**
 * Brands (tenants): their identity (a wallet-style {@code brand_id}), HMAC secret keys
 * with rotation, API keys for the management API, settings, and their funding wallet.
 * Operators manage brands through {@code /admin/v1/brands}.
 *
 * <p>
 * Use {@link bot.resonance.brands.Brands}; controllers of other modules receive the
 * calling brand as an {@link bot.resonance.brands.AuthenticatedBrand} parameter.
 */
@ApplicationModule(displayName = "Brands", allowedDependencies = { "ledger", "platform" })
@NullMarked
package bot.resonance.brands;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
