package bot.resonance.rewards;

import org.jspecify.annotations.Nullable;

import bot.resonance.identity.Identity;

/**
 * The fields of an event request, as far as they could be read. A request with an
 * {@code invalidReason} is recorded and answered {@code INVALID_REQUEST}.
 *
 * @param eventType the event type
 * @param userId the recipient as the request named them: a Discord user id on the event
 * API, the email of a manual event
 * @param serverId the Discord guild id, if any
 * @param amount the reward asked for ({@code null}: the type's amount)
 * @param metadataJson the metadata object as compact JSON, if any
 * @param invalidReason what is wrong with the request, naming the field
 * @param identity the recipient's identity, when it is not the Discord user
 * {@code userId} (manual events name members by email)
 * @param amountCap the most this event may award (unsigned manual events), if capped
 */
public record EventRequest(@Nullable String eventType, @Nullable String userId, @Nullable String serverId,
		@Nullable Long amount, @Nullable String metadataJson, @Nullable String invalidReason,
		@Nullable Identity identity, @Nullable Long amountCap) {

	public EventRequest(@Nullable String eventType, @Nullable String userId, @Nullable String serverId,
			@Nullable Long amount, @Nullable String metadataJson, @Nullable String invalidReason) {
		this(eventType, userId, serverId, amount, metadataJson, invalidReason, null, null);
	}

	public boolean isValid() {
		return this.invalidReason == null;
	}

}
