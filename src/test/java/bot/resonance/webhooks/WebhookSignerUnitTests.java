package bot.resonance.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.Test;

import bot.resonance.webhooks.internal.WebhookSigner;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignerUnitTests {

	// The Standard Webhooks specification's published test vector.
	static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	static final String MESSAGE = "msg_p5jXN8AQM9LWM0D4loKWxJek";

	static final long TIMESTAMP = 1614265330;

	static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

	@Test
	void reproducesTheStandardWebhooksTestVector() {
		String signature = WebhookSigner.standardSignature(List.of(WebhookSigner.Secret.of(SECRET, null)), MESSAGE,
				TIMESTAMP, BODY);
		assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	}

	@Test
	void agreesWithTheReferenceLibrary() throws Exception {
		Webhook reference = new Webhook(SECRET);
		String body = "{\"event\":\"duel.finish\",\"data\":{\"winnerId\":\"1\"}}";
		assertThat(WebhookSigner.standardSignature(List.of(WebhookSigner.Secret.of(SECRET, null)), "msg_1",
				1_700_000_000L, body.getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(reference.sign("msg_1", 1_700_000_000L, body));
	}

	@Test
	void signsWithEverySecretDuringARotation() {
		String next = WebhookSigner.newSecret();
		String signature = WebhookSigner.standardSignature(
				List.of(WebhookSigner.Secret.of(next, null), WebhookSigner.Secret.of(SECRET, null)), MESSAGE, TIMESTAMP,
				BODY);
		assertThat(signature.split(" ")).hasSize(2).contains("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	}

	@Test
	void theDocumentedSignatureIsTheHexHmacOfTheBodyKeyedWithTheWholeSecret() throws Exception {
		javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
		mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		String expected = "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(BODY));
		assertThat(WebhookSigner.xSignature(WebhookSigner.Secret.of(SECRET, null), BODY)).isEqualTo(expected);
	}

	@Test
	void newSecretsAreStandardWebhooksSecrets() throws Exception {
		String secret = WebhookSigner.newSecret();
		assertThat(secret).startsWith("whsec_");
		// The reference library accepts it and verifies what we sign with it.
		Webhook reference = new Webhook(secret);
		long now = System.currentTimeMillis() / 1000;
		String signature = WebhookSigner.standardSignature(List.of(WebhookSigner.Secret.of(secret, null)), "msg_2", now,
				BODY);
		reference.verify(new String(BODY, StandardCharsets.UTF_8), Map.of("webhook-id", List.of("msg_2"),
				"webhook-timestamp", List.of(Long.toString(now)), "webhook-signature", List.of(signature)));
	}

}
