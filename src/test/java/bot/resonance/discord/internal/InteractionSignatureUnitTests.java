package bot.resonance.discord.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import bot.resonance.discord.InteractionsProperties;
import bot.resonance.support.DiscordInteractions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The interaction signature check against RFC 8032's Ed25519 test vectors (section 7.1)
 * and Discord's way of signing: timestamp, then body.
 */
class InteractionSignatureUnitTests {

	private static final HexFormat HEX = HexFormat.of();

	@Test
	void verifiesTheRfc8032TestVectors() {
		String[][] vectors = { { "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
				"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
				{ "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
						"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
				{ "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
						"6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" } };
		for (String[] vector : vectors) {
			InteractionSignature signature = InteractionSignature.of(vector[0]);
			byte[] message = HEX.parseHex(vector[1]);
			byte[] signed = HEX.parseHex(vector[2]);
			assertThat(signature.verifies(signed, message)).as(vector[0]).isTrue();
			byte[] flipped = signed.clone();
			flipped[7] ^= 0x10;
			assertThat(signature.verifies(flipped, message)).isFalse();
			assertThat(signature.verifies(signed, HEX.parseHex(vector[1] + "00"))).isFalse();
		}
		// Test 2's message is "r": as a timestamp with an empty body it is the same
		// bytes.
		assertThat(InteractionSignature.of(vectors[1][0]).verifies(vectors[1][2], "r", new byte[0])).isTrue();
	}

	@Test
	void checksTheTimestampAndTheBodyAsDiscordSignsThem() {
		InteractionSignature signature = InteractionSignature.of(DiscordInteractions.PUBLIC_KEY);
		String body = "{\"type\":1}";
		String signed = DiscordInteractions.sign("1700000000", body);
		byte[] raw = body.getBytes(StandardCharsets.UTF_8);
		assertThat(signature.verifies(signed, "1700000000", raw)).isTrue();
		assertThat(signature.verifies(signed.toUpperCase(), "1700000000", raw)).isTrue();
		assertThat(signature.verifies(signed, "1700000001", raw)).isFalse();
		assertThat(signature.verifies(signed, "1700000000", "{\"type\":2}".getBytes(StandardCharsets.UTF_8))).isFalse();
		assertThat(signature.verifies(null, "1700000000", raw)).isFalse();
		assertThat(signature.verifies(signed, null, raw)).isFalse();
		assertThat(signature.verifies(signed, "", raw)).isFalse();
		assertThat(signature.verifies(signed.substring(2), "1700000000", raw)).isFalse();
		assertThat(signature.verifies(signed + "00", "1700000000", raw)).isFalse();
		assertThat(signature.verifies("zz" + signed.substring(2), "1700000000", raw)).isFalse();
		assertThat(signature.verifies(signed, "1".repeat(65), raw)).isFalse();
	}

	@Test
	void refusesKeysThatAreNotEd25519PublicKeys() {
		assertThatIllegalArgumentException().isThrownBy(() -> InteractionSignature.of("abc"));
		assertThatIllegalArgumentException().isThrownBy(() -> InteractionSignature.of("zz".repeat(32)));
		// 2^255 - 19 + 1 is not a canonical point encoding.
		assertThatIllegalArgumentException().isThrownBy(
				() -> InteractionSignature.of("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"));
	}

	@Test
	void aTimestampIsFreshWithinTheToleranceEitherWay() {
		Instant now = Instant.ofEpochSecond(1_700_000_000);
		Duration tolerance = Duration.ofMinutes(5);
		assertThat(InteractionSignature.isFresh("1700000000", now, tolerance)).isTrue();
		assertThat(InteractionSignature.isFresh("1699999700", now, tolerance)).isTrue();
		assertThat(InteractionSignature.isFresh("1700000300", now, tolerance)).isTrue();
		assertThat(InteractionSignature.isFresh("1699999699", now, tolerance)).isFalse();
		assertThat(InteractionSignature.isFresh("1700000301", now, tolerance)).isFalse();
		for (String notATime : new String[] { null, "", "hello", "-1700000000", "1700000000.5", " 1700000000",
				"9".repeat(13) }) {
			assertThat(InteractionSignature.isFresh(notATime, now, tolerance)).as(notATime).isFalse();
		}
	}

	@Test
	void aPublicKeyThatIsNotSixtyFourHexDigitsStopsTheStartNamingTheSetting() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new InteractionsProperties("zz12", null, Duration.ofSeconds(60), Duration.ofDays(90),
					Duration.ofMinutes(5)))
			.withMessageContaining("DISCORD_INTERACTIONS_PUBLIC_KEY")
			.withMessageContaining("64 hexadecimal digits, not 4 characters");
		assertThat(new InteractionsProperties(" " + DiscordInteractions.PUBLIC_KEY + " ", null, Duration.ofSeconds(60),
				Duration.ofDays(90), Duration.ofMinutes(5))
			.verifying()).isTrue();
		assertThat(
				new InteractionsProperties("", null, Duration.ofSeconds(60), Duration.ofDays(90), Duration.ofMinutes(5))
					.verifying())
			.isFalse();
	}

}
