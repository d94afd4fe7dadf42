package bot.resonance.rewards.internal.ingest;

import org.jspecify.annotations.Nullable;

/**
 * The fields of a signed event request, as far as they could be read. A request with an
 * {@code invalidReason} is recorded and answered {@code INVALID_REQUEST}.
 *
 * @param eventType the event type
 * @param userId the member's Discord user id
 * @param serverId the Discord guild id
 * @param amount the reward asked for ({@code null}: the type's amount)
 * @param metadataJson the metadata object as compact JSON, if any
 * @param invalidReason what is wrong with the request, naming the field
 */
public record EventRequest(@Nullable String eventType, @Nullable String userId, @Nullable String serverId,
		@Nullable Long amount, @Nullable String metadataJson, @Nullable String invalidReason) {

	public boolean isValid() {
		return this.invalidReason == null;
	}

}
