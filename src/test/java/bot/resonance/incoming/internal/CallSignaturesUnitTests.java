package bot.resonance.incoming.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallSignaturesUnitTests {

	// The Standard Webhooks specification's published test vector.
	static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	static final String MESSAGE = "msg_p5jXN8AQM9LWM0D4loKWxJek";

	static final long TIMESTAMP = 1614265330;

	static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

	static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

	static final Duration TOLERANCE = Duration.ofMinutes(5);

	@Test
	void acceptsTheSpecificationsTestVector() {
		CallSignatures.Verdict verdict = check(hook(SECRET, false), standard(MESSAGE, TIMESTAMP, SIGNATURE), BODY,
				TIMESTAMP);
		assertThat(verdict).isEqualTo(new CallSignatures.Verdict.Standard(MESSAGE, Instant.ofEpochSecond(TIMESTAMP)));
	}

	@Test
	void acceptsWhatTheReferenceLibrarySigns() throws Exception {
		String body = "{\"action\":\"currency.add\",\"data\":{\"user_id\":\"1\",\"amount\":5,\"reason\":\"caf\u00e9 \u2713\"}}";
		String signature = new Webhook(SECRET).sign("msg_1", TIMESTAMP, body);
		assertThat(check(hook(SECRET, false), standard("msg_1", TIMESTAMP, signature),
				body.getBytes(StandardCharsets.UTF_8), TIMESTAMP))
			.isInstanceOf(CallSignatures.Verdict.Standard.class);
	}

	@Test
	void theToleranceHoldsBothWaysToTheSecond() {
		CallSignatures.Headers headers = standard(MESSAGE, TIMESTAMP, SIGNATURE);
		IncomingWebhook hook = hook(SECRET, false);
		assertThat(check(hook, headers, BODY, TIMESTAMP + 300)).isInstanceOf(CallSignatures.Verdict.Standard.class);
		assertThat(check(hook, headers, BODY, TIMESTAMP - 300)).isInstanceOf(CallSignatures.Verdict.Standard.class);
		CallSignatures.Verdict late = check(hook, headers, BODY, TIMESTAMP + 301);
		assertThat(late).isEqualTo(
				new CallSignatures.Verdict.Refused(((CallSignatures.Verdict.Refused) late).detail(), TIMESTAMP + 301));
		assertThat(((CallSignatures.Verdict.Refused) late).detail()).contains("301 seconds behind");
		CallSignatures.Verdict early = check(hook, headers, BODY, TIMESTAMP - 301);
		assertThat(((CallSignatures.Verdict.Refused) early).detail()).contains("301 seconds ahead of");
	}

	@Test
	void aSecretThatIsNotBase64VerifiesNothingWithoutFailing() {
		CallSignatures.Verdict verdict = check(hook("whsec_not base64!", false),
				standard(MESSAGE, TIMESTAMP, SIGNATURE), BODY, TIMESTAMP);
		assertThat(verdict).isInstanceOf(CallSignatures.Verdict.Refused.class);
	}

	@Test
	void theLegacyHeaderCountsOnlyWithoutTheStandardOnes() {
		String legacy = "sha256=" + bot.resonance.platform.crypto.HmacKey.of(SECRET).hex(BODY);
		assertThat(check(hook(SECRET, true), new CallSignatures.Headers(null, null, null, legacy), BODY, TIMESTAMP))
			.isInstanceOf(CallSignatures.Verdict.Legacy.class);
		assertThat(check(hook(SECRET, false), new CallSignatures.Headers(null, null, null, legacy), BODY, TIMESTAMP))
			.isInstanceOf(CallSignatures.Verdict.Refused.class);
		assertThat(check(hook(SECRET, true), new CallSignatures.Headers(MESSAGE, null, null, legacy), BODY, TIMESTAMP))
			.isInstanceOf(CallSignatures.Verdict.Refused.class);
	}

	private static CallSignatures.Verdict check(IncomingWebhook hook, CallSignatures.Headers headers, byte[] body,
			long now) {
		return CallSignatures.check(hook, headers, body, Instant.ofEpochSecond(now), TOLERANCE);
	}

	private static CallSignatures.Headers standard(String id, long timestamp, String signature) {
		return new CallSignatures.Headers(id, Long.toString(timestamp), signature, null);
	}

	private static IncomingWebhook hook(String secret, boolean legacy) {
		Instant created = Instant.ofEpochSecond(TIMESTAMP - 86_400);
		return new IncomingWebhook("0xbrand", UUID.randomUUID(), "Shop", secret, null, null, List.of("currency.add"),
				60, null, true, legacy, created, created);
	}

}
