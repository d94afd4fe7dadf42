package bot.resonance.webhooks.internal.incoming;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.crypto.HmacKey;

/**
 * An incoming webhook.
 *
 * @param brandId the brand it acts for
 * @param id its id, part of its URL
 * @param name what it is for
 * @param secret the current signing secret
 * @param previousSecret the secret before the last rotation, verifying until
 * {@code previousSecretExpiresAt}
 * @param previousSecretExpiresAt when the previous secret stops verifying
 * @param actions the actions it may trigger, by wire name
 * @param rateLimitPerMinute calls per minute it accepts (a token bucket: bursts up to it)
 * @param currency the currency {@code currency.add} moves when the call names none;
 * {@code null}: the brand's default
 * @param enabled whether it accepts calls
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
record IncomingWebhook(String brandId, UUID id, String name, String secret, @Nullable String previousSecret,
		@Nullable Instant previousSecretExpiresAt, List<String> actions, int rateLimitPerMinute,
		@Nullable String currency, boolean enabled, Instant createdAt, Instant updatedAt) {

	boolean allows(IncomingAction action) {
		return this.actions.contains(action.wireName());
	}

	/**
	 * Whether {@code signature} (lower-case hex) is the HMAC-SHA256 of {@code body} with
	 * the current secret, or with the previous one while it has not expired. Every secret
	 * is compared in constant time, whichever matches.
	 */
	boolean verifies(byte[] body, String signature, Instant now) {
		boolean valid = Hashing.constantTimeEquals(HmacKey.of(this.secret).hex(body), signature);
		if (this.previousSecret != null && this.previousSecretExpiresAt != null
				&& this.previousSecretExpiresAt.isAfter(now)) {
			valid |= Hashing.constantTimeEquals(HmacKey.of(this.previousSecret).hex(body), signature);
		}
		return valid;
	}

}
