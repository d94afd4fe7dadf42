package bot.resonance.integrations.shopify;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.rewards.RecordedEvent;
import bot.resonance.rewards.RewardEvents;
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

	/** Held orders looked at per run, the longest held first. */
	private static final int SCAN = 1_000;

	private final ShopifyRepository repository;

	private final RefundReversals reversals;

	private final ShopifyProperties properties;

	private final Clock clock;

	private final RewardEvents rewards;

	HeldRefundSweeper(ShopifyRepository repository, RefundReversals reversals, ShopifyProperties properties,
			Clock clock, RewardEvents rewards) {
		this.rewards = rewards;
		this.repository = repository;
		this.reversals = reversals;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Orders with held refunds that can be settled: their reward event is no longer
	 * pending (paid, or refused), or they were held since before {@code giveUpBefore}.
	 */
	private List<ShopifyRepository.HeldOrder> settleable(Instant giveUpBefore) {
		List<ShopifyRepository.HeldOrder> held = this.repository.heldOrders(SCAN);
		Map<String, Set<String>> eventIds = new HashMap<>();
		held.stream()
			.filter((order) -> order.eventId() != null)
			.forEach((order) -> eventIds.computeIfAbsent(order.brandId(), (b) -> new HashSet<>()).add(order.eventId()));
		Map<String, Map<String, RecordedEvent>> recorded = new HashMap<>();
		eventIds.forEach((brandId, ids) -> recorded.put(brandId, this.rewards.recorded(brandId, ids)));
		return held.stream().filter((order) -> {
			RecordedEvent event = (order.eventId() != null)
					? recorded.getOrDefault(order.brandId(), Map.of()).get(order.eventId()) : null;
			return (event != null && !event.isPending()) || order.heldSince().isBefore(giveUpBefore);
		}).limit(BATCH).toList();
	}

	/** Settles what can be settled now; returns the number of refunds settled. */
	@Scheduled(fixedDelayString = "${resonance.shopify.held-refund-interval:30s}",
			initialDelayString = "${resonance.shopify.held-refund-interval:30s}")
	int sweep() {
		int settled = 0;
		try {
			Instant giveUpBefore = this.clock.instant().minus(this.properties.heldRefundRetention());
			for (var order : settleable(giveUpBefore)) {
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
