package bot.resonance.platform.crypto;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start stopped because a secret in the database does not open with this node's sealing
 * keys: a configuration mistake with a known fix, so the operator reads what happened and
 * what to do (Spring Boot's "APPLICATION FAILED TO START"), not a stack trace.
 */
class SealedSecretFailureAnalyzer extends AbstractFailureAnalyzer<SecretSealer.SealedSecretException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SecretSealer.SealedSecretException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Start Resonance with the sealing key the database's secrets were sealed with: set"
						+ " RESONANCE_SEALING_KEY to it, or list it in RESONANCE_SEALING_PREVIOUS_KEYS to seal them"
						+ " again with a new key (see the operations guide's security notes).",
				cause);
	}

}
