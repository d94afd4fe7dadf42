package bot.resonance.platform.crypto;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretSealerUnitTests {

	private static final String KEY = newKey();

	private static final String OTHER = newKey();

	@Test
	void withoutAKeySecretsAreStoredAsTheyAre() {
		SecretSealer sealer = new SecretSealer(new SealingProperties(null, List.of()));
		assertThat(sealer.isSealing()).isFalse();
		assertThat(sealer.seal("webhook secret", "whsec_abc")).isEqualTo("whsec_abc");
		assertThat(sealer.open("webhook secret", "whsec_abc")).isEqualTo("whsec_abc");
	}

	@Test
	void sealedSecretsOpenOnlyForTheirPurpose() {
		SecretSealer sealer = new SecretSealer(new SealingProperties(KEY, List.of()));
		String stored = sealer.seal("webhook secret", "whsec_abc");
		assertThat(stored).startsWith("rsnc-sealed:v1:" + sealer.currentKeyId() + ":").doesNotContain("whsec_abc");
		assertThat(sealer.seal("webhook secret", "whsec_abc")).as("a fresh nonce each time").isNotEqualTo(stored);
		assertThat(sealer.open("webhook secret", stored)).isEqualTo("whsec_abc");
		assertThatThrownBy(() -> sealer.open("brand secret key", stored))
			.isInstanceOf(SecretSealer.SealedSecretException.class)
			.hasMessageContaining("altered or moved");
		String tampered = stored.substring(0, stored.length() - 2) + (stored.endsWith("A") ? "BB" : "AA");
		assertThatThrownBy(() -> sealer.open("webhook secret", tampered))
			.isInstanceOf(SecretSealer.SealedSecretException.class);
		// Values stored before the key was set are still read.
		assertThat(sealer.open("webhook secret", "whsec_plain")).isEqualTo("whsec_plain");
	}

	@Test
	void previousKeysStillOpenAndAMissingKeyIsNamed() {
		SecretSealer old = new SecretSealer(new SealingProperties(KEY, List.of()));
		String stored = old.seal("brand secret key", "rsk_1");
		SecretSealer rotated = new SecretSealer(new SealingProperties(OTHER, List.of(KEY)));
		assertThat(rotated.open("brand secret key", stored)).isEqualTo("rsk_1");
		assertThat(rotated.isCurrent(stored)).isFalse();
		assertThat(rotated.isCurrent(rotated.seal("brand secret key", "rsk_1"))).isTrue();
		SecretSealer without = new SecretSealer(new SealingProperties(null, List.of()));
		assertThatThrownBy(() -> without.open("brand secret key", stored))
			.isInstanceOf(SecretSealer.SealedSecretException.class)
			.hasMessageContaining(old.currentKeyId())
			.hasMessageContaining("RESONANCE_SEALING_KEY");
		assertThat(without.isCurrent(stored)).isFalse();
		assertThat(without.isCurrent("rsk_1")).isTrue();
	}

	@Test
	void keysMustBeThirtyTwoRandomBytes() {
		for (String bad : new String[] { "short", Base64.getEncoder().encodeToString(new byte[16]), "not base64 !!" }) {
			// Refused when the setting is read (the start's failure report names it), not
			// later by the bean that uses it.
			assertThatThrownBy(() -> new SealingProperties(bad, List.of())).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("RESONANCE_SEALING_KEY")
				.hasMessageContaining("openssl rand -base64 32");
			assertThatThrownBy(() -> new SealingProperties(null, List.of(bad)))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("RESONANCE_SEALING_PREVIOUS_KEYS");
		}
		byte[] raw = Base64.getDecoder().decode(KEY);
		assertThat(new SecretSealer(new SealingProperties(Base64.getUrlEncoder().encodeToString(raw), List.of()))
			.currentKeyId()).isEqualTo(new SecretSealer(new SealingProperties(KEY, List.of())).currentKeyId());
	}

	static String newKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

}
