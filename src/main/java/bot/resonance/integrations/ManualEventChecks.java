package bot.resonance.integrations;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The manual-event set-up check, for every adapter (the integration guide's
 * {@code /resonance-api/debug}, the portal's integrations page): the server's time and
 * version, whether the brand a request names is found and what it accepts, and for a
 * signed request whether its signature verifies and exactly what must be signed. Nothing
 * is recorded; the expected signature is never part of the answer.
 */
public interface ManualEventChecks {

	/**
	 * The debug answer, as {@code /resonance-api/debug} gives it as JSON (keys in order:
	 * {@code ok}, {@code server_time}, {@code server_time_unix}, {@code version},
	 * {@code body}, {@code brand}, {@code signature}).
	 */
	Map<String, Object> check(Request request);

	/**
	 * A request to check, as it would reach the manual event endpoint.
	 *
	 * @param brandHeader the {@code X-Brand-Id} header
	 * @param brandQuery the {@code brand_id} query parameter
	 * @param origin the {@code Origin} header
	 * @param body the raw body (empty for none)
	 * @param signature the {@code X-Resonance-Signature} header
	 * @param timestamp the {@code X-Resonance-Timestamp} header
	 */
	record Request(@Nullable String brandHeader, @Nullable String brandQuery, @Nullable String origin,
			@Nullable String host, byte[] body, @Nullable String signature, @Nullable String timestamp) {
	}

}
