package bot.resonance.integrations.shopify;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.identity.Identity;
import bot.resonance.identity.Member;
import bot.resonance.identity.Members;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.AccountKind;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.NetworkCurrency;
import bot.resonance.ledger.Transfer;
import bot.resonance.ledger.TransferCode;
import bot.resonance.ledger.TransferContext;
import bot.resonance.ledger.TransferOutcome;
import bot.resonance.ledger.TransferRequest;
import bot.resonance.platform.ids.IdGenerator;
import bot.resonance.rewards.RecordedEvent;
import bot.resonance.rewards.RewardEvents;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reverses the reward of a refunded order in proportion to the money refunded: after
 * refunds totalling {@code r} of an order of total {@code t} rewarded {@code a}, the
 * reversals add up to {@code floor(a × min(r, t) / t)}, so partial refunds that add up to
 * the whole order take back exactly the whole reward, and nothing ever takes back more.
 * The member's balance pays back what it can (a ledger transfer of kind {@code reversal}
 * to the brand wallet); the rest is recorded as a shortfall, never overdrawn.
 *
 * <p>
 * Reversals of one award are serialized (a transaction-scoped lock per award, then the
 * member's account), so refunds of one order racing each other see each other's
 * reversals, and the balance checked is the balance debited.
 */
@Component
class RefundReversals {

	private static final Logger log = LoggerFactory.getLogger(RefundReversals.class);

	static final String SOURCE = "shopify";

	private final ShopifyRepository repository;

	private final Members members;

	private final Ledger ledger;

	private final NetworkCurrency network;

	private final IdGenerator ids;

	private final Clock clock;

	private final RewardEvents rewards;

	RefundReversals(ShopifyRepository repository, Members members, Ledger ledger, NetworkCurrency network,
			IdGenerator ids, Clock clock, RewardEvents rewards) {
		this.rewards = rewards;
		this.repository = repository;
		this.members = members;
		this.ledger = ledger;
		this.network = network;
		this.ids = ids;
		this.clock = clock;
	}

	/**
	 * Reverses what a refund takes back of its order's reward. A refund that comes before
	 * the order (Shopify does not promise to deliver topics in order), or while the
	 * order's event is pending, is held and reversed by {@link #settle} once the reward
	 * is paid.
	 */
	@Transactional
	Result reverse(String brandId, ShopifyPayloads.Refund refund) {
		this.repository.lockOrder(brandId, refund.orderId());
		var found = order(brandId, refund.orderId());
		if (found.isEmpty()) {
			this.repository.holdRefund(brandId, refund, this.clock.instant());
			return new Result.Held(null, "Order " + refund.orderId()
					+ " has not been rewarded through this integration (yet): the refund is held, and reversed if the order is rewarded.");
		}
		if (found.get().outcome().equals("pending")) {
			this.repository.holdRefund(brandId, refund, this.clock.instant());
			return new Result.Held(found.get().eventId(),
					"Order " + refund.orderId() + "'s event (" + found.get().eventId()
							+ ") is pending: the refund is held, and reversed when the reward is paid.");
		}
		return reverse(brandId, found.get(), refund);
	}

	/**
	 * Settles the refunds held for an order: reversed once its reward is paid (or found
	 * to have nothing to reverse once its event is refused); while the order is unknown
	 * or its event pending they are kept, except those held since before
	 * {@code giveUpBefore}, which are dropped — all of them if {@code orderRefused}.
	 * @return the results, one per settled refund
	 */
	@Transactional
	List<Result> settle(String brandId, String orderId, boolean orderRefused, Instant giveUpBefore) {
		this.repository.lockOrder(brandId, orderId);
		List<ShopifyRepository.HeldRefund> held = this.repository.heldRefunds(brandId, orderId);
		if (held.isEmpty()) {
			return List.of();
		}
		var order = order(brandId, orderId);
		boolean decided = order.isPresent() && !order.get().outcome().equals("pending");
		List<Result> results = new ArrayList<>();
		for (ShopifyRepository.HeldRefund hold : held) {
			ShopifyPayloads.Refund refund = hold.refund();
			Result result;
			if (decided) {
				result = reverse(brandId, order.get(), refund);
			}
			else if (orderRefused || hold.receivedAt().isBefore(giveUpBefore)) {
				result = new Result.NothingToReverse(order.map(RewardedOrder::eventId).orElse(null),
						"Order " + orderId + " was not rewarded.");
			}
			else {
				continue;
			}
			this.repository.releaseHeldRefund(brandId, refund.id());
			log.info("Held Shopify refund {} of order {} (brand {}) settled: {}", refund.id(), orderId, brandId,
					result);
			results.add(result);
		}
		return results;
	}

	/** The order as rewarded: what its event paid, to whom, or that it is pending. */
	private Optional<RewardedOrder> order(String brandId, String orderId) {
		return this.repository.order(brandId, orderId).map((stored) -> {
			RecordedEvent event = this.rewards.recorded(brandId, List.of(stored.eventId())).get(stored.eventId());
			return (event != null) ? new RewardedOrder(orderId, stored.eventId(), stored.identity(), stored.total(),
					event.memberId(), event.amountAwarded(), event.currency(), event.outcome())
					: pruned(brandId, stored);
		});
	}

	/**
	 * An order whose event is no longer recorded. An order is recorded only once its
	 * event is (awarded or pending), so its event was pruned
	 * ({@code resonance.rewards.retention.events}) after it was processed: what it paid
	 * is its award transfer, which the ledger keeps forever (in the network's partition
	 * for an RSNC award). No award transfer: the event paid nothing.
	 */
	private RewardedOrder pruned(String brandId, ShopifyRepository.StoredOrder stored) {
		Optional<Transfer> award = this.ledger.find(brandId, TransferCode.AWARD, stored.eventId())
			.or(() -> this.ledger.find(NetworkCurrency.PARTITION, TransferCode.AWARD, stored.eventId()));
		if (award.isEmpty()) {
			return new RewardedOrder(stored.orderId(), stored.eventId(), stored.identity(), stored.total(), null, 0,
					null, "processed without a reward");
		}
		AccountKey holder = award.get().credit();
		Long memberId = (holder.kind() == AccountKind.MEMBER) ? holder.ownerId() : null;
		return new RewardedOrder(stored.orderId(), stored.eventId(), stored.identity(), stored.total(), memberId,
				award.get().amount(), holder.currency(), "awarded");
	}

	private Result reverse(String brandId, RewardedOrder order, ShopifyPayloads.Refund refund) {
		if (order.amountAwarded() <= 0 || order.currency() == null) {
			return new Result.NothingToReverse(order.eventId(), "Order " + refund.orderId() + "'s event ("
					+ order.eventId() + ") is " + order.outcome() + ": no reward was paid to reverse.");
		}
		if (order.total() == null || order.total().signum() <= 0) {
			return new Result.NothingToReverse(order.eventId(),
					"Order " + refund.orderId() + " has no total_price to refund a share of.");
		}
		// The member behind the order's email now (if members were merged since, the
		// balance moved to the survivor with the identity), held so a merge cannot move
		// it away while this takes part of it back.
		Optional<Member> held = this.members.hold(order.identity());
		if (held.isEmpty() && order.memberId() != null) {
			held = this.members.findByIds(brandId, List.of(order.memberId()))
				.values()
				.stream()
				.findFirst()
				.map(this.members::hold);
		}
		Long memberId = held.map(Member::id).orElse(order.memberId());
		// One reversal of an award at a time, whatever accounts exist.
		this.repository.lockReversalsOf(brandId, order.eventId());

		// Under the lock: earlier refunds of this order (and a repeat of this one) are
		// visible.
		var previous = this.repository.reversal(brandId, SOURCE, refund.id());
		if (previous.isPresent()) {
			return new Result.AlreadyReversed(previous.get());
		}
		ShopifyRepository.ReversalTotals before = this.repository.reversalTotals(brandId, order.eventId());
		BigDecimal refundedInAll = before.refunded().add(refund.refunded()).min(order.total());
		long due = BigDecimal.valueOf(order.amountAwarded())
			.multiply(refundedInAll)
			.divide(order.total(), 0, RoundingMode.FLOOR)
			.longValueExact();
		long amount = Math.max(0, Math.min(due, order.amountAwarded()) - before.amount());

		String id = this.ids.prefixed("rev_");
		Instant now = this.clock.instant();
		long reversed = 0;
		Long transferId = null;
		if (amount > 0 && held.isPresent()) {
			// The member's balance pays back what it can (the ledger takes no more than
			// it holds, nor more than is left of the award).
			// An RSNC award is the person's now: the reversal takes back from the
			// person's
			// balance what is left of it there (held, so a merge waits).
			boolean rsnc = NetworkCurrency.isNetwork(order.currency());
			AccountKey account = this.network.heldHolder(order.currency(), held.get());
			AccountKey wallet = this.network.wallet(brandId, order.currency());
			Long award = this.ledger
				.find(rsnc ? NetworkCurrency.PARTITION : brandId, TransferCode.AWARD, order.eventId())
				.map(Transfer::id)
				.orElse(null);
			TransferOutcome outcome = this.ledger
				.transferUpTo(TransferRequest.of(TransferCode.REWARD_REVERSAL, id, account, wallet, amount)
					.withReference(order.eventId())
					.reversing(award)
					.about(new TransferContext(order.identity().value(), null, "REFUND")));
			if (outcome instanceof TransferOutcome.Posted posted) {
				reversed = posted.transfer().amount();
				transferId = posted.transfer().id();
			}
			else if (!(outcome instanceof TransferOutcome.InsufficientFunds)) {
				log.warn("Reversal {} of order {} (brand {}) moved nothing: {}", id, refund.orderId(), brandId,
						outcome);
			}
		}
		this.repository.insertReversal(brandId, id, order.eventId(), SOURCE, refund.id(), refund.refunded(), amount,
				reversed, memberId, order.currency(), transferId, now);
		return new Result.Reversed(id, order.eventId(), amount, reversed, amount - reversed, order.currency());
	}

	/** What a refund did. */
	sealed interface Result {

		/**
		 * A share of the reward was taken back.
		 *
		 * @param reversalId the reversal's id
		 * @param eventId the rewarded event
		 * @param amount what the refund takes back of the reward
		 * @param reversed what the member's balance paid back
		 * @param shortfall what it could not (already spent)
		 * @param currency the reward's currency
		 */
		record Reversed(String reversalId, String eventId, long amount, long reversed, long shortfall,
				String currency) implements Result {
		}

		/** This refund was reversed before. */
		record AlreadyReversed(ShopifyRepository.Reversal reversal) implements Result {
		}

		/** There is no reward to take back. */
		record NothingToReverse(@Nullable String eventId, String note) implements Result {
		}

		/** There is no reward to take back yet: the refund waits for it. */
		record Held(@Nullable String eventId, String note) implements Result {
		}

	}

	/**
	 * An order rewarded through this integration and what became of its event.
	 *
	 * @param outcome {@code awarded}, {@code pending} or {@code rejected}
	 */
	record RewardedOrder(String orderId, String eventId, Identity identity, @Nullable BigDecimal total,
			@Nullable Long memberId, long amountAwarded, @Nullable String currency, String outcome) {
	}

}
