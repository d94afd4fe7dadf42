package bot.resonance.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A brand's webhook endpoint.
 *
 * @param brandId the brand
 * @param id the endpoint's id (sent as {@code X-Webhook-Id})
 * @param url where deliveries are POSTed
 * @param description what it is for
 * @param eventTypes the events it receives ({@code null}: all)
 * @param enabled whether it receives deliveries (false after it was disabled)
 * @param paused whether deliveries are held for it until it is resumed
 * @param disabledReason why Resonance disabled it, if it did
 * @param failingSince since when every attempt to it has failed
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record Endpoint(String brandId, UUID id, String url, @Nullable String description,
		@Nullable List<String> eventTypes, boolean enabled, boolean paused, @Nullable String disabledReason,
		@Nullable Instant failingSince, Instant createdAt, Instant updatedAt) {

	public boolean subscribes(String event) {
		return this.eventTypes == null || this.eventTypes.contains(event);
	}

	/** Whether deliveries to it are sent now (not disabled, not paused). */
	public boolean active() {
		return this.enabled && !this.paused;
	}

}
