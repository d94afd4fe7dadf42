package bot.resonance.discord;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the interactions endpoint.
 *
 * @param publicKey the application's Ed25519 public key, 64 hex digits
 * ({@code DISCORD_INTERACTIONS_PUBLIC_KEY}); without it signatures are not checked (a
 * warning at start-up says so)
 * @param applicationId the application's id ({@code DISCORD_APPLICATION_ID})
 * @param lockTtl how long an interaction id stays locked after its first delivery (the
 * seed's 60 s)
 * @param logRetention how long interactions stay in the interaction log
 * @param signatureTolerance how far {@code X-Signature-Timestamp} may be from this
 * server's time: an interaction signed longer ago (a captured one, replayed) is refused
 */
@ConfigurationProperties("resonance.discord.interactions")
public record InteractionsProperties(@Nullable String publicKey, @Nullable String applicationId,
		@DefaultValue("60s") Duration lockTtl, @DefaultValue("90d") Duration logRetention,
		@DefaultValue("5m") Duration signatureTolerance) {

	public InteractionsProperties {
		// Checked when the setting is read, so a wrong key stops the start with its name
		// and what is wrong (Spring Boot's "APPLICATION FAILED TO START"), not a stack
		// trace from the bean that uses it.
		if (publicKey != null && !publicKey.isBlank() && !publicKey.strip().matches("[0-9a-fA-F]{64}")) {
			throw new IllegalArgumentException("DISCORD_INTERACTIONS_PUBLIC_KEY (resonance.discord.interactions."
					+ "public-key) must be the application's public key as the Discord Developer Portal shows it "
					+ "(General Information > Public Key): 64 hexadecimal digits, not " + publicKey.strip().length()
					+ " characters.");
		}
		if (signatureTolerance.isNegative() || signatureTolerance.isZero()) {
			throw new IllegalArgumentException(
					"resonance.discord.interactions.signature-tolerance must be positive (default 5m).");
		}
	}

	/** Whether signatures are checked. */
	public boolean verifying() {
		return this.publicKey != null && !this.publicKey.isBlank();
	}

}
