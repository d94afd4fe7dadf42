package bot.resonance.platform.admin;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator API's credential.
 *
 * @param token the bearer token for {@code /admin/v1/...}
 * ({@code RESONANCE_ADMIN_TOKEN}); when unset, one is generated on first start, stored in
 * the data folder and printed once
 */
@ConfigurationProperties("resonance.admin")
public record AdminProperties(@Nullable String token) {
}
