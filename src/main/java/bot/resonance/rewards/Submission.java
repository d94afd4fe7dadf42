package bot.resonance.rewards;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;

/** Work for the ingest pipeline. */
public sealed interface Submission {

	String brandId();

	/**
	 * A signed event request.
	 *
	 * @param eventId the id it is recorded under
	 * @param brand the brand whose signature it carries
	 * @param request its fields
	 * @param idempotencyKey the {@code Idempotency-Key} header, if given
	 * @param requestHash SHA-256 of the raw body, to tell a replay from a reused key
	 * @param receivedAt when it arrived
	 * @param source where it came from ({@code api}, {@code manual}, {@code shopify},
	 * {@code discord})
	 * @param refusalsBindKey whether a refusal by the rules (type disabled, member
	 * disabled, cooldown, empty wallet) binds the idempotency key, as on the event API,
	 * so that a retry with the key gets the refusal again; when {@code false} only a
	 * reward (awarded or pending) binds it, and a retry after the refusal stopped
	 * applying is processed afresh. The bot's daily check-in uses this: its key is "this
	 * member, this UTC day", and a member refused earlier in the day (a disabled type an
	 * admin then enabled) may still check in once.
	 */
	record NewEvent(String eventId, Brand brand, EventRequest request, @Nullable String idempotencyKey,
			byte[] requestHash, Instant receivedAt, String source, boolean refusalsBindKey) implements Submission {

		/** A submission whose refusals bind its idempotency key, as on the event API. */
		public NewEvent(String eventId, Brand brand, EventRequest request, @Nullable String idempotencyKey,
				byte[] requestHash, Instant receivedAt, String source) {
			this(eventId, brand, request, idempotencyKey, requestHash, receivedAt, source, true);
		}

		@Override
		public String brandId() {
			return this.brand.brandId();
		}

	}

	/** A pending event whose time has come, claimed by this node. */
	record DueEvent(String brandId, String eventId) implements Submission {
	}

}
