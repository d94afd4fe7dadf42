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
	 * @param source where it came from ({@code api})
	 */
	record NewEvent(String eventId, Brand brand, EventRequest request, @Nullable String idempotencyKey,
			byte[] requestHash, Instant receivedAt, String source) implements Submission {

		@Override
		public String brandId() {
			return this.brand.brandId();
		}

	}

	/** A pending event whose time has come, claimed by this node. */
	record DueEvent(String brandId, String eventId) implements Submission {
	}

}
