package bot.resonance.platform.crypto;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A start that stops on a secret this node cannot open explains itself (what happened,
 * what to do) instead of logging "Application run failed" with a stack trace.
 */
class SealedSecretFailureAnalyzerUnitTests {

	@Test
	void aSecretSealedWithAnotherKeyIsExplainedWithTheFix() {
		String sealedElsewhere = new SecretSealer(new SealingProperties(key(), List.of())).seal("brand secret key",
				"sk_abc");
		SecretSealer thisNode = new SecretSealer(new SealingProperties(key(), List.of()));
		Throwable failure = new BeanCreationException("secretResealing",
				catchThrowable(() -> thisNode.open("brand secret key", sealedElsewhere)));

		FailureAnalysis analysis = new SealedSecretFailureAnalyzer().analyze(failure);

		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).startsWith("A brand secret key in the database is sealed with key");
		assertThat(analysis.getAction()).contains("RESONANCE_SEALING_KEY").contains("RESONANCE_SEALING_PREVIOUS_KEYS");
		assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("sk_abc");
	}

	@Test
	void otherFailuresAreLeftToSpringBoot() {
		assertThat(new SealedSecretFailureAnalyzer().analyze(new IllegalStateException("something else"))).isNull();
	}

	@Test
	void springBootFindsIt() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.none(),
					// Boot's own analyzers want constructor arguments; only this one
					// matters here.
					(factoryType, implementationName, failure) -> {
					}))
			.hasAtLeastOneElementOfType(SealedSecretFailureAnalyzer.class);
	}

	private static String key() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

}
