package bot.resonance.rewards;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonRawValue;
import org.jspecify.annotations.Nullable;

/**
 * A recorded event as the management API shows it.
 *
 * @param eventId the event's id
 * @param eventType the event type asked for
 * @param userId the recipient's Discord user id
 * @param serverId the Discord guild id
 * @param amount the amount asked for or resolved from the type
 * @param amountAwarded what was paid (0 unless awarded)
 * @param newBalance the member's balance right after the award (or when it was accepted
 * as pending)
 * @param currency the currency paid
 * @param status {@code awarded}, {@code pending} or {@code rejected}
 * @param error why it was rejected
 * @param pendingReason why it waits
 * @param processAfter when a pending event will be processed
 * @param metadata the metadata sent with it
 * @param source where it came from: {@code api}, {@code manual}, {@code shopify} or
 * {@code discord} (the bot's {@code /checkin})
 * @param receivedAt when it arrived
 * @param processedAt when its current status was decided
 */
public record EventView(String eventId, @Nullable String eventType, @Nullable String userId, @Nullable String serverId,
		@Nullable Long amount, long amountAwarded, @Nullable Long newBalance, @Nullable String currency, String status,
		@Nullable Error error, @Nullable String pendingReason, @Nullable Instant processAfter,
		@JsonRawValue @Nullable String metadata, String source, Instant receivedAt, Instant processedAt) {

	public record Error(String code, @Nullable String message) {
	}

}
