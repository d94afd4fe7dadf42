package bot.resonance.portal.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** TOTP against RFC 6238's test vectors, and the window a code is accepted in. */
class TotpUnitTests {

	/** RFC 6238 Appendix B's SHA-1 seed: "12345678901234567890" in ASCII. */
	private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

	@ParameterizedTest
	@CsvSource({ "59, 94287082", "1111111109, 07081804", "1111111111, 14050471", "1234567890, 89005924",
			"2000000000, 69279037", "20000000000, 65353130" })
	void codesAreThoseOfRfc6238AppendixB(long unixSeconds, String expected) {
		long step = Totp.step(Instant.ofEpochSecond(unixSeconds));
		assertThat(Totp.code(RFC_SEED, step, 8)).isEqualTo(expected);
		// Six digits, as apps show them, are the last six of the same number.
		assertThat(Totp.code(RFC_SEED, step, 6)).isEqualTo(expected.substring(2));
	}

	@Test
	void aCodeIsAcceptedForItsStepAndOneStepEitherSide() {
		String secret = Totp.base32(RFC_SEED);
		Instant now = Instant.ofEpochSecond(1111111111);
		long step = Totp.step(now);
		assertThat(Totp.matchingStep(secret, "050471", now)).hasValue(step);
		assertThat(Totp.matchingStep(secret, "050 471", now)).hasValue(step);
		String previous = Totp.code(RFC_SEED, step - 1, 6);
		String next = Totp.code(RFC_SEED, step + 1, 6);
		assertThat(Totp.matchingStep(secret, previous, now)).hasValue(step - 1);
		assertThat(Totp.matchingStep(secret, next, now)).hasValue(step + 1);
		assertThat(Totp.matchingStep(secret, Totp.code(RFC_SEED, step - 2, 6), now)).isEmpty();
		assertThat(Totp.matchingStep(secret, Totp.code(RFC_SEED, step + 2, 6), now)).isEmpty();
		assertThat(Totp.matchingStep(secret, "12345", now)).isEmpty();
		assertThat(Totp.matchingStep(secret, "abcdef", now)).isEmpty();
		assertThat(Totp.matchingStep(secret, null, now)).isEmpty();
	}

	@Test
	void secretsRoundTripThroughBase32() {
		assertThat(Totp.base32(RFC_SEED)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
		assertThat(Totp.fromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")).isEqualTo(RFC_SEED);
		String secret = Totp.newSecret();
		assertThat(secret).hasSize(32).matches("[A-Z2-7]+");
		assertThat(Totp.base32(Totp.fromBase32(secret))).isEqualTo(secret);
	}

	@Test
	void theUriNamesTheIssuerAndTheAccount() {
		assertThat(Totp.uri("Resonance (Acme)", "a+b@example.com", "GEZDGNBV")).isEqualTo(
				"otpauth://totp/Resonance%20%28Acme%29:a%2Bb%40example.com?secret=GEZDGNBV&issuer=Resonance%20%28Acme%29"
						+ "&algorithm=SHA1&digits=6&period=30");
	}

}
