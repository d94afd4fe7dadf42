package bot.resonance.rewards.internal.shopify;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Settles refunds held for an order whose reward event was pending when they came: once
 * the event is processed they are reversed (or dropped if it was refused), and after
 * {@code resonance.shopify.held-refund-retention} they are given up. Runs on every node;
 * each order is settled under its lock, so once.
 */
@Component
class HeldRefundSweeper {

	private static final Logger log = LoggerFactory.getLogger(HeldRefundSweeper.class);

	private static final int BATCH = 100;

	private final ShopifyRepository repository;

	private final RefundReversals reversals;

	private final ShopifyProperties properties;

	private final Clock clock;

	HeldRefundSweeper(ShopifyRepository repository, RefundReversals reversals, ShopifyProperties properties,
			Clock clock) {
		this.repository = repository;
		this.reversals = reversals;
		this.properties = properties;
		this.clock = clock;
	}

	/** Settles what can be settled now; returns the number of refunds settled. */
	@Scheduled(fixedDelayString = "${resonance.shopify.held-refund-interval:30s}",
			initialDelayString = "${resonance.shopify.held-refund-interval:30s}")
	int sweep() {
		int settled = 0;
		try {
			Instant giveUpBefore = this.clock.instant().minus(this.properties.heldRefundRetention());
			for (var order : this.repository.settleableOrders(giveUpBefore, BATCH)) {
				try {
					settled += this.reversals.settle(order.brandId(), order.orderId(), false, giveUpBefore).size();
				}
				catch (RuntimeException ex) {
					log.warn(
							"Settling the held Shopify refunds of order {} (brand {}) failed; the next run retries: {}",
							order.orderId(), order.brandId(), ex.getMessage());
				}
			}
		}
		catch (DataAccessException ex) {
			log.warn("Looking for held Shopify refunds to settle failed; the next run retries: {}", ex.getMessage());
		}
		return settled;
	}

}
