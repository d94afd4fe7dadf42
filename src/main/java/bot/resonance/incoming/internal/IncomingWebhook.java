package bot.resonance.incoming.internal;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.crypto.HmacKey;
import bot.resonance.platform.crypto.WebhookSecrets;

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
 * @param legacySignatures whether it also accepts the legacy {@code X-Signature} (an HMAC
 * of the body alone, with no time or id, so a copy verifies forever)
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record IncomingWebhook(String brandId, UUID id, String name, String secret, @Nullable String previousSecret,
		@Nullable Instant previousSecretExpiresAt, List<String> actions, int rateLimitPerMinute,
		@Nullable String currency, boolean enabled, boolean legacySignatures, Instant createdAt, Instant updatedAt) {

	boolean allows(IncomingAction action) {
		return this.actions.contains(action.wireName());
	}

	/**
	 * Whether {@code signature} (lower-case hex) is the HMAC-SHA256 of {@code body} keyed
	 * with the UTF-8 bytes of the current secret, or of the previous one while it has not
	 * expired: the legacy {@code X-Signature}. Every secret is compared in constant time,
	 * whichever matches.
	 */
	boolean verifiesLegacy(byte[] body, String signature, Instant now) {
		boolean valid = false;
		for (String secret : activeSecrets(now)) {
			valid |= Hashing.constantTimeEquals(HmacKey.of(secret).hex(body), signature);
		}
		return valid;
	}

	/**
	 * Whether one of {@code signatures} is the Standard Webhooks signature of
	 * {@code signed} ({@code id.timestamp.body}): its HMAC-SHA256 keyed with the
	 * base64-decoded part of the current secret after {@code whsec_}, or of the previous
	 * one while it has not expired. Every pair is compared in constant time, whichever
	 * matches.
	 */
	boolean verifiesStandard(byte[][] signed, List<byte[]> signatures, Instant now) {
		boolean valid = false;
		for (String secret : activeSecrets(now)) {
			HmacKey key = standardKey(secret);
			if (key == null) {
				continue;
			}
			byte[] expected = key.sign(signed);
			for (byte[] signature : signatures) {
				valid |= MessageDigest.isEqual(expected, signature);
			}
		}
		return valid;
	}

	private List<String> activeSecrets(Instant now) {
		List<String> secrets = new ArrayList<>(2);
		secrets.add(this.secret);
		if (this.previousSecret != null && this.previousSecretExpiresAt != null
				&& this.previousSecretExpiresAt.isAfter(now)) {
			secrets.add(this.previousSecret);
		}
		return secrets;
	}

	/**
	 * The Standard Webhooks key of a secret. Every secret Resonance makes is
	 * {@code whsec_} and base64; one that is not verifies nothing rather than failing the
	 * call.
	 */
	private static @Nullable HmacKey standardKey(String secret) {
		try {
			return WebhookSecrets.standardKey(secret);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
