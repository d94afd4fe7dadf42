package bot.resonance.webhooks.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * What one node is sending: its deliveries in flight per brand and per endpoint, and how
 * many each endpoint may have in flight at once. The claim asks for no more than that.
 *
 * <p>
 * A brand may have {@code perBrand} deliveries in flight, so a brand whose endpoints
 * never answer holds at most that share of the node. An endpoint may have up to
 * {@code perEndpoint}, adapted to how it answers (additive increase, multiplicative
 * decrease, as TCP does): an attempt that times out or cannot connect halves what the
 * endpoint may have (down to one), an answer adds one back (up to {@code perEndpoint}).
 * So an endpoint that stops answering soon ties up one delivery at a time rather than
 * {@code perEndpoint} until its request timeout, while one that answers again is back to
 * full speed after a few answers. An endpoint's reduced allowance is kept while it has
 * deliveries in flight and for {@link #FORGET_AFTER} after its last one (across its
 * retries); then it starts afresh.
 *
 * <p>
 * The dispatcher records what it claimed, the sending threads what became of it; the
 * counts are per node (each node limits its own share).
 */
final class DeliveryLoad {

	/** How long an endpoint with nothing in flight keeps a reduced allowance. */
	static final Duration FORGET_AFTER = Duration.ofMinutes(15);

	private final int perBrand;

	private final int perEndpoint;

	private final LongSupplier nanoTime;

	private final Map<String, Integer> brands = new HashMap<>();

	private final Map<UUID, EndpointLoad> endpoints = new HashMap<>();

	/** How long each endpoint took to answer lately (a moving average, ms). */
	private final Map<UUID, Double> answerMillis = new HashMap<>();

	/** The weight of the latest answer in {@link #answerMillis}. */
	private static final double ANSWER_SMOOTHING = 0.1;

	/**
	 * Endpoints that answer within this on average are fast: when their deliveries wait
	 * long, this node is what holds them back, not they.
	 */
	static final long FAST_ANSWER_MILLIS = 250;

	DeliveryLoad(int perBrand, int perEndpoint) {
		this(perBrand, perEndpoint, System::nanoTime);
	}

	DeliveryLoad(int perBrand, int perEndpoint, LongSupplier nanoTime) {
		this.perBrand = Math.max(1, perBrand);
		this.perEndpoint = Math.max(1, perEndpoint);
		this.nanoTime = nanoTime;
	}

	/** A delivery was claimed and is being sent. */
	synchronized void started(String brandId, UUID endpointId) {
		this.brands.merge(brandId, 1, Integer::sum);
		this.endpoints.computeIfAbsent(endpointId, (id) -> new EndpointLoad(this.perEndpoint)).inFlight++;
	}

	/** A delivery that was being sent is done; {@code signal} says how it went. */
	synchronized void finished(String brandId, UUID endpointId, Signal signal) {
		finished(brandId, endpointId, signal, -1);
	}

	/**
	 * A delivery that was being sent is done; {@code signal} says how it went, and
	 * {@code millis} how long the endpoint took to answer (negative: not sent).
	 */
	synchronized void finished(String brandId, UUID endpointId, Signal signal, long millis) {
		if (millis >= 0) {
			this.answerMillis.merge(endpointId, (double) millis,
					(average, latest) -> average + (latest - average) * ANSWER_SMOOTHING);
			if (this.answerMillis.size() > 100_000) {
				this.answerMillis.clear();
			}
		}
		this.brands.computeIfPresent(brandId, (id, count) -> (count > 1) ? count - 1 : null);
		EndpointLoad endpoint = this.endpoints.get(endpointId);
		if (endpoint == null) {
			return;
		}
		endpoint.inFlight = Math.max(0, endpoint.inFlight - 1);
		switch (signal) {
			case ANSWERED -> endpoint.allowed = Math.min(this.perEndpoint, endpoint.allowed + 1);
			case UNRESPONSIVE -> endpoint.allowed = Math.max(1, endpoint.allowed / 2);
			case NONE -> {
			}
		}
		if (endpoint.inFlight == 0) {
			if (endpoint.allowed >= this.perEndpoint) {
				this.endpoints.remove(endpointId);
			}
			else {
				endpoint.idleSince = this.nanoTime.getAsLong();
			}
		}
	}

	/**
	 * How many more deliveries the claim may take, for the brands and endpoints that may
	 * take fewer than the defaults.
	 */
	synchronized DeliveryRepository.Room room() {
		Map<String, Integer> brandRoom = new HashMap<>();
		this.brands.forEach((brand, count) -> brandRoom.put(brand, Math.max(0, this.perBrand - count)));
		Map<UUID, Integer> endpointRoom = new HashMap<>();
		long now = this.nanoTime.getAsLong();
		for (Iterator<Map.Entry<UUID, EndpointLoad>> entries = this.endpoints.entrySet().iterator(); entries
			.hasNext();) {
			Map.Entry<UUID, EndpointLoad> entry = entries.next();
			EndpointLoad endpoint = entry.getValue();
			if (endpoint.inFlight == 0 && now - endpoint.idleSince > FORGET_AFTER.toNanos()) {
				entries.remove();
			}
			else {
				endpointRoom.put(entry.getKey(), Math.max(0, endpoint.allowed - endpoint.inFlight));
			}
		}
		return new DeliveryRepository.Room(this.perBrand, brandRoom, this.perEndpoint, endpointRoom);
	}

	/** How many deliveries the endpoint may have in flight at once now. */
	synchronized int allowed(UUID endpointId) {
		EndpointLoad endpoint = this.endpoints.get(endpointId);
		return (endpoint != null) ? endpoint.allowed : this.perEndpoint;
	}

	/**
	 * Whether the endpoint answers well: it may have its full concurrency (it has not
	 * timed out, been unreachable or said it is overloaded lately) and answers fast
	 * ({@value #FAST_ANSWER_MILLIS} ms on average). When such an endpoint's deliveries
	 * wait long, this node is what holds them back.
	 */
	synchronized boolean answersWell(UUID endpointId) {
		return allowed(endpointId) >= this.perEndpoint
				&& this.answerMillis.getOrDefault(endpointId, 0.0) <= FAST_ANSWER_MILLIS;
	}

	/** The brand's deliveries in flight on this node. */
	synchronized int inFlight(String brandId) {
		return this.brands.getOrDefault(brandId, 0);
	}

	/** What an attempt tells about its endpoint. */
	enum Signal {

		/** The endpoint answered (whatever it answered): it may take one more at once. */
		ANSWERED,
		/**
		 * The endpoint timed out, could not be reached, or said it is overloaded (429,
		 * 503): it gets half as many at once.
		 */
		UNRESPONSIVE,
		/** Nothing was sent (held, endpoint gone, not allowed): no change. */
		NONE

	}

	private static final class EndpointLoad {

		int inFlight;

		int allowed;

		long idleSince;

		EndpointLoad(int allowed) {
			this.allowed = allowed;
		}

	}

}
