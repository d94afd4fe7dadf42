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
 */
@ConfigurationProperties("resonance.discord.interactions")
public record InteractionsProperties(@Nullable String publicKey, @Nullable String applicationId,
		@DefaultValue("60s") Duration lockTtl, @DefaultValue("90d") Duration logRetention) {

	/** Whether signatures are checked. */
	public boolean verifying() {
		return this.publicKey != null && !this.publicKey.isBlank();
	}

}
