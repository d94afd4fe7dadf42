package bot.resonance.incoming.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether a call is signed, and how: a pure function of the hook, the signature
 * headers, the raw body and the time.
 *
 * <p>
 * The default is Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp} (Unix
 * seconds, within the tolerance of server time either way) and {@code webhook-signature}
 * ({@code v1,<base64>} entries, space-separated, of which one must be the HMAC-SHA256 of
 * {@code id.timestamp.body} keyed with the base64-decoded part of the secret after
 * {@code whsec_}). The timestamp bounds how long a copy of a call verifies; the id, which
 * the caller remembers for at least as long, makes a copy inside that window replay the
 * first answer instead of acting again.
 *
 * <p>
 * The legacy {@code X-Signature: sha256=<hex HMAC-SHA256 of the body>} signs no time and
 * no id, so a copy verifies forever: it is accepted only by hooks with
 * {@code legacy_signatures} on, and only when the call carries none of the Standard
 * Webhooks headers.
 */
final class CallSignatures {

	static final String ID_HEADER = "webhook-id";

	static final String TIMESTAMP_HEADER = "webhook-timestamp";

	static final String SIGNATURE_HEADER = "webhook-signature";

	static final String LEGACY_HEADER = "X-Signature";

	private static final String LEGACY_PREFIX = "sha256=";

	private static final Pattern HEX_SIGNATURE = Pattern.compile("[0-9a-f]{64}");

	private static final Pattern UNIX_SECONDS = Pattern.compile("[0-9]{1,18}");

	private static final Pattern SPACES = Pattern.compile(" +");

	private static final String HOW_TO_SIGN = "Sign calls the Standard Webhooks way: webhook-id (a unique id per "
			+ "message), webhook-timestamp (the Unix time in seconds) and webhook-signature (v1, followed by the "
			+ "base64 HMAC-SHA256 of \"{webhook-id}.{webhook-timestamp}.{raw body}\", keyed with the base64-decoded "
			+ "part of the hook's secret after whsec_).";

	private CallSignatures() {
	}

	/**
	 * Whether the call is signed, with the current or (within its grace period) the
	 * previous secret.
	 * @param tolerance how far {@code webhook-timestamp} may be from {@code now}, either
	 * way
	 */
	static Verdict check(IncomingWebhook hook, Headers headers, byte[] body, Instant now, Duration tolerance) {
		if (headers.hasStandard()) {
			return checkStandard(hook, headers, body, now, tolerance);
		}
		if (headers.legacy() != null) {
			return checkLegacy(hook, headers.legacy(), body, now);
		}
		return new Verdict.Refused("The call is not signed: the webhook-id, webhook-timestamp and webhook-signature "
				+ "headers are missing. " + HOW_TO_SIGN
				+ (hook.legacySignatures()
						? " (This hook also accepts the legacy X-Signature: sha256=<hex HMAC-SHA256 of the raw body>.)"
						: ""),
				null);
	}

	private static Verdict checkStandard(IncomingWebhook hook, Headers headers, byte[] body, Instant now,
			Duration tolerance) {
		List<String> missing = new ArrayList<>(3);
		String id = present(headers.id(), ID_HEADER, missing);
		String timestamp = present(headers.timestamp(), TIMESTAMP_HEADER, missing);
		String signature = present(headers.signature(), SIGNATURE_HEADER, missing);
		if (id == null || timestamp == null || signature == null) {
			return new Verdict.Refused("The " + String.join(" and ", missing) + " header"
					+ ((missing.size() > 1) ? "s are" : " is") + " missing. " + HOW_TO_SIGN, null);
		}
		if (!isReadableId(id)) {
			return new Verdict.Refused(
					"webhook-id must be 1 to 255 printable ASCII characters without spaces. " + HOW_TO_SIGN, null);
		}
		long serverTime = now.getEpochSecond();
		if (!UNIX_SECONDS.matcher(timestamp).matches()) {
			return new Verdict.Refused("webhook-timestamp must be the Unix time in whole seconds, digits only (this "
					+ "server's time is " + serverTime + ").", serverTime);
		}
		long signedAt = Long.parseLong(timestamp);
		long skew = signedAt - serverTime;
		if (Math.abs(skew) > tolerance.toSeconds()) {
			return new Verdict.Refused("webhook-timestamp " + signedAt + " is " + Math.abs(skew) + " seconds "
					+ ((skew < 0) ? "behind" : "ahead of") + " this server's time (" + serverTime + ", "
					+ Instant.ofEpochSecond(serverTime) + "); calls are accepted within " + tolerance.toSeconds()
					+ " seconds either way. Sign each call when you send it, with the current Unix time in seconds, "
					+ "and check the sender's clock.", serverTime);
		}
		List<byte[]> signatures = new ArrayList<>();
		for (String entry : SPACES.split(signature)) {
			int comma = entry.indexOf(',');
			if (comma > 0 && entry.substring(0, comma).equals("v1")) {
				byte[] decoded = base64(entry.substring(comma + 1));
				if (decoded != null) {
					signatures.add(decoded);
				}
			}
		}
		if (signatures.isEmpty()) {
			return new Verdict.Refused("webhook-signature holds no v1 signature: send v1, followed by the base64 "
					+ "HMAC-SHA256 (several space-separated if you sign with more than one secret). " + HOW_TO_SIGN,
					null);
		}
		byte[][] signed = { (id + "." + timestamp + ".").getBytes(StandardCharsets.US_ASCII), body };
		if (!hook.verifiesStandard(signed, signatures, now)) {
			return new Verdict.Refused("The signature does not match. " + HOW_TO_SIGN
					+ " Sign the exact bytes you send, and the webhook-id and webhook-timestamp exactly as sent.",
					null);
		}
		return new Verdict.Standard(id, Instant.ofEpochSecond(signedAt));
	}

	private static Verdict checkLegacy(IncomingWebhook hook, String header, byte[] body, Instant now) {
		if (!hook.legacySignatures()) {
			return new Verdict.Refused("This hook does not accept X-Signature: it signs no time, so a copy of a call "
					+ "would verify forever. " + HOW_TO_SIGN + " A sender that cannot change yet keeps working if the "
					+ "hook has legacy_signatures on (PATCH /v1/incoming-webhooks/" + hook.id()
					+ " {\"legacy_signatures\": true}).", null);
		}
		String presented = header.trim().toLowerCase(Locale.ROOT);
		if (presented.isEmpty()) {
			return new Verdict.Refused("The X-Signature header is empty: send sha256=<hex HMAC-SHA256 of the raw body, "
					+ "keyed with the hook's secret>, or better, " + HOW_TO_SIGN, null);
		}
		if (presented.startsWith(LEGACY_PREFIX)) {
			presented = presented.substring(LEGACY_PREFIX.length());
		}
		if (!HEX_SIGNATURE.matcher(presented).matches()) {
			return new Verdict.Refused(
					"X-Signature must be sha256= followed by the hex HMAC-SHA256 of the raw body (64 hex characters).",
					null);
		}
		if (!hook.verifiesLegacy(body, presented, now)) {
			return new Verdict.Refused(
					"The signature does not match. Sign the exact raw body with the hook's secret (HMAC-SHA256, hex).",
					null);
		}
		return new Verdict.Legacy();
	}

	/** The trimmed header, or null (noted as missing) if absent or blank. */
	private static @Nullable String present(@Nullable String header, String name, List<String> missing) {
		String value = (header != null) ? header.trim() : "";
		if (value.isEmpty()) {
			missing.add(name);
			return null;
		}
		return value;
	}

	static boolean isReadableId(String value) {
		return !value.isEmpty() && value.length() <= 255 && value.chars().allMatch((c) -> c > 0x20 && c < 0x7f);
	}

	private static byte @Nullable [] base64(String value) {
		try {
			return Base64.getDecoder().decode(value);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * The signature headers of a call, as sent ({@code null}: absent).
	 *
	 * @param id {@code webhook-id}
	 * @param timestamp {@code webhook-timestamp}
	 * @param signature {@code webhook-signature}
	 * @param legacy {@code X-Signature}
	 */
	record Headers(@Nullable String id, @Nullable String timestamp, @Nullable String signature,
			@Nullable String legacy) {

		/**
		 * Whether any Standard Webhooks header was sent: then they are what is checked.
		 */
		boolean hasStandard() {
			return this.id != null || this.timestamp != null || this.signature != null;
		}

	}

	/** Whether a call is signed. */
	sealed interface Verdict {

		/**
		 * Signed the Standard Webhooks way.
		 *
		 * @param webhookId the message's id, which acts at most once
		 * @param timestamp when the sender signed it
		 */
		record Standard(String webhookId, Instant timestamp) implements Verdict {
		}

		/** Signed with the legacy {@code X-Signature}, by a hook that accepts it. */
		record Legacy() implements Verdict {
		}

		/**
		 * Not signed, or not as it must be.
		 *
		 * @param detail what is wrong and how to sign
		 * @param serverTime the server's Unix time, when the timestamp is the trouble
		 */
		record Refused(String detail, @Nullable Long serverTime) implements Verdict {
		}

	}

}
