package bot.resonance.incoming.internal;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import bot.resonance.platform.DurationText;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of incoming webhooks.
 *
 * @param publicBaseUrl the address external services reach this server at
 * ({@code https://resonance.example.com}), used to build hooks' URLs; unset, the URL of
 * the management request that asks is used
 * @param maxBodySize the largest call body accepted; larger ones get {@code 413}
 * @param idempotencyWaitTimeout how long a call waits for a concurrent call with the same
 * {@code webhook-id} or {@code X-Idempotency-Key} to finish before it is answered
 * {@code 409}
 * @param refusedSignatureLogPerMinute how many calls refused for a bad signature each
 * hook's call log takes per minute on each node; more are answered but not logged
 * @param signatureTolerance how far a call's {@code webhook-timestamp} may be from server
 * time, either way; a call's {@code webhook-id} is remembered until its timestamp is
 * twice this old, however short the call log's retention
 * @param retention how long calls are kept in the call log (by default as long as
 * outgoing deliveries, {@code resonance.webhooks.retention})
 * @param pruneInterval how often the call log is pruned (once per interval across all
 * nodes)
 * @param secretGracePeriod how long a rotated-out secret keeps verifying, unless the
 * rotation says otherwise (by default as long as outgoing webhooks' secrets,
 * {@code resonance.webhooks.secret-grace-period})
 */
@ConfigurationProperties("resonance.incoming-webhooks")
public record IncomingWebhookProperties(@Nullable URI publicBaseUrl, @DefaultValue("64KB") DataSize maxBodySize,
		@DefaultValue("15s") Duration idempotencyWaitTimeout, @DefaultValue("60") int refusedSignatureLogPerMinute,
		@DefaultValue("5m") Duration signatureTolerance, @DefaultValue("30d") Duration retention,
		@DefaultValue("1h") Duration pruneInterval, @DefaultValue("24h") Duration secretGracePeriod) {

	public IncomingWebhookProperties {
		if (signatureTolerance.isNegative() || signatureTolerance.toSeconds() < 1) {
			throw new IllegalArgumentException(
					"resonance.incoming-webhooks.signature-tolerance must be at least 1s, not "
							+ DurationText.of(signatureTolerance));
		}
	}

}
