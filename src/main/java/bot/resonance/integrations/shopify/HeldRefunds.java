package bot.resonance.integrations.shopify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.jobs.IfScheduled;
import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobHandler;
import bot.resonance.platform.jobs.JobKey;
import bot.resonance.platform.jobs.JobQueue;
import bot.resonance.platform.jobs.Jobs;
import bot.resonance.rewards.RecordedEvent;
import bot.resonance.rewards.RewardEvents;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Settles refunds held for an order whose reward was not known yet when they came: one
 * durable job per order ({@code platform/jobs}), scheduled in the transaction that holds
 * a refund (due one {@code resonance.shopify.held-refund-interval} later), then due when
 * the order's reward is released. Its run reverses the refunds once the reward is paid
 * (or drops them if it was refused), in the run's transaction, and sets the job due again
 * while they must wait:
 * <ul>
 * <li>an order not received yet: when its refunds are given up (after
 * {@code resonance.shopify.held-refund-retention}); the order's webhook settles them as
 * soon as it is rewarded or refused, and {@link #recheck}s them if it is pending;</li>
 * <li>an order whose event is pending: when the event is processed (its
 * {@code process_after}), and every {@code resonance.shopify.held-refund-interval} after
 * that until it is.</li>
 * </ul>
 * A node that dies while settling leaves the job to be taken over when its claim lapses.
 */
@Component
class HeldRefunds implements JobHandler {

	private static final Logger log = LoggerFactory.getLogger(HeldRefunds.class);

	/** The job queue of orders with held refunds, keyed by brand and order id. */
	static final String QUEUE = "shopify-held-refunds";

	private final ShopifyRepository repository;

	private final RefundReversals reversals;

	private final RewardEvents rewards;

	private final ShopifyProperties properties;

	private final Jobs jobs;

	private final Clock clock;

	HeldRefunds(ShopifyRepository repository, RefundReversals reversals, RewardEvents rewards,
			ShopifyProperties properties, Jobs jobs, Clock clock) {
		this.repository = repository;
		this.reversals = reversals;
		this.rewards = rewards;
		this.properties = properties;
		this.jobs = jobs;
		this.clock = clock;
	}

	/**
	 * Looked for every {@code held-refund-interval}, as jobs are due again so often. A
	 * job is never given up: a run that fails is retried (at most an hour apart) until
	 * the refunds are settled or dropped.
	 */
	@Override
	public JobQueue queue() {
		return JobQueue.named(QUEUE)
			.withPollInterval(this.properties.heldRefundInterval())
			.withMaxAttempts(Integer.MAX_VALUE);
	}

	/**
	 * Settles what can be settled of the order's held refunds, in the run's transaction.
	 */
	@Override
	public void handle(Job job) {
		String brandId = job.jobKey().brandId();
		if (brandId == null) {
			return;
		}
		Instant now = this.clock.instant();
		List<RefundReversals.Result> settled = this.reversals.settle(brandId, job.key(), false,
				now.minus(this.properties.heldRefundRetention()));
		List<ShopifyRepository.HeldRefund> held = this.repository.heldRefunds(brandId, job.key());
		if (!held.isEmpty()) {
			Instant next = releaseAt(brandId, job.key(), held.getFirst().receivedAt(), now);
			this.jobs.schedule(QUEUE, job.jobKey(), next, null, IfScheduled.REPLACE);
			log.info("{} held refund(s) of Shopify order {} (brand {}) settled, {} wait until {}", settled.size(),
					job.key(), brandId, held.size(), next);
		}
	}

	/**
	 * Makes the order's held-refund job due now, if it has refunds held (its order came
	 * while they waited, or settling them on its arrival failed).
	 */
	@Transactional
	void recheck(String brandId, String orderId) {
		this.repository.lockOrder(brandId, orderId);
		if (!this.repository.heldRefunds(brandId, orderId).isEmpty()) {
			this.jobs.schedule(QUEUE, JobKey.of(brandId, orderId), this.clock.instant(), null, IfScheduled.REPLACE);
		}
	}

	/**
	 * When refunds held since {@code heldSince} should be looked at next: when the
	 * order's pending event is processed, or shortly if it is overdue, or when they are
	 * given up, whichever comes first.
	 */
	private Instant releaseAt(String brandId, String orderId, Instant heldSince, Instant now) {
		// A millisecond after the retention, so the refunds are then strictly older.
		Instant giveUp = heldSince.plus(this.properties.heldRefundRetention()).plus(Duration.ofMillis(1));
		Instant next = this.repository.order(brandId, orderId).map((order) -> {
			RecordedEvent event = this.rewards.recorded(brandId, List.of(order.eventId())).get(order.eventId());
			if (event != null && event.processAfter() != null && event.processAfter().isAfter(now)) {
				return event.processAfter();
			}
			return now.plus(this.properties.heldRefundInterval());
		}).orElse(giveUp);
		return next.isBefore(giveUp) ? next : giveUp;
	}

}
