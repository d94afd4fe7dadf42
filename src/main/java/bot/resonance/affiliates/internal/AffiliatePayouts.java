package bot.resonance.affiliates.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import bot.resonance.affiliates.AffiliatePayoutsRecorded;
import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityKind;
import bot.resonance.identity.Member;
import bot.resonance.identity.Members;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.NetworkCurrency;
import bot.resonance.ledger.PostedTransfer;
import bot.resonance.ledger.TransferCode;
import bot.resonance.ledger.TransferContext;
import bot.resonance.ledger.TransferRequest;
import bot.resonance.rewards.RewardMovement;
import bot.resonance.rewards.RewardsRecorded;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Affiliate payouts: when a member is rewarded for an event type with an
 * {@code affiliate_amount}, their referrer earns that amount from the same wallet, in the
 * transaction that recorded the reward — or, if the wallet cannot pay it after the
 * batch's rewards, the referrer is disabled, or an unsigned event's cap would be passed,
 * the payout is recorded as rejected. Batches whose rewards pay no affiliate cost nothing
 * here.
 */
@Component
class AffiliatePayouts {

	private final JdbcClient jdbc;

	private final Members members;

	private final Ledger ledger;

	private final NetworkCurrency network;

	private final ApplicationEventPublisher events;

	AffiliatePayouts(JdbcClient jdbc, Members members, Ledger ledger, NetworkCurrency network,
			ApplicationEventPublisher events) {
		this.network = network;
		this.jdbc = jdbc;
		this.members = members;
		this.ledger = ledger;
		this.events = events;
	}

	@EventListener
	void on(RewardsRecorded recorded) {
		List<RewardMovement> eligible = recorded.movements()
			.stream()
			.filter((m) -> m.affiliateAmount() != null && m.status() == RewardMovement.Status.ACCEPTED
					&& RewardMovement.END_USER_PAYOUT.equals(m.reason()))
			.toList();
		if (eligible.isEmpty()) {
			return;
		}
		List<Payout> payouts = decide(eligible);
		if (payouts.isEmpty()) {
			return;
		}
		Map<String, Long> balanceAfter = new HashMap<>();
		for (PostedTransfer posted : this.ledger.post(transfers(payouts))) {
			balanceAfter.put(posted.reference(), posted.creditBalanceAfter());
		}
		Instant now = eligible.getFirst().at();
		this.events.publishEvent(new AffiliatePayoutsRecorded(record(payouts, balanceAfter, now)));
	}

	/**
	 * Decides the payouts of the rewards, against what the wallets hold after them
	 * (locked: the rewards' transaction already holds them).
	 */
	private List<Payout> decide(List<RewardMovement> earned) {
		Map<String, Set<Long>> memberIds = new HashMap<>();
		Set<AccountKey> wallets = new HashSet<>();
		earned.forEach((e) -> {
			memberIds.computeIfAbsent(e.brandId(), (b) -> new HashSet<>()).add(e.memberId());
			wallets.add(this.network.wallet(e.brandId(), e.currency()));
		});
		Map<AccountKey, Long> walletBalances = new HashMap<>(this.ledger.lockAvailable(wallets));
		List<Payout> payouts = new ArrayList<>();
		memberIds.forEach((brandId, ids) -> {
			Map<Long, Long> referrers = referrers(brandId, ids);
			if (referrers.isEmpty()) {
				return;
			}
			Map<Long, Member> referrerMembers = this.members.findByIds(brandId, referrers.values());
			Map<Long, List<Identity>> identities = this.members.identities(brandId, referrers.values());
			for (RewardMovement e : earned) {
				Long referrer = e.brandId().equals(brandId) ? referrers.get(e.memberId()) : null;
				if (referrer == null) {
					continue;
				}
				long amount = e.affiliateAmount();
				Member member = referrerMembers.get(referrer);
				AccountKey wallet = this.network.wallet(brandId, e.currency());
				long left = walletBalances.getOrDefault(wallet, 0L);
				String userId = identities.getOrDefault(referrer, List.of())
					.stream()
					.filter((i) -> i.kind() == IdentityKind.DISCORD)
					.map(Identity::value)
					.findFirst()
					.orElse("");
				String rejection = (member == null || !member.isActive()) ? "USER_DISABLED"
						: (e.amountCap() != null && e.amount() + amount > e.amountCap()) ? "AMOUNT_CAP_EXCEEDED"
								: (left < amount) ? "INSUFFICIENT_BALANCE" : null;
				if (rejection == null) {
					walletBalances.put(wallet, left - amount);
				}
				AccountKey account = (rejection == null) ? this.network.heldHolder(e.currency(), member) : null;
				payouts.add(new Payout(e, referrer, account, userId, amount, rejection));
			}
		});
		return payouts;
	}

	/** The transfers of the paid payouts. */
	private List<TransferRequest> transfers(List<Payout> payouts) {
		return payouts.stream()
			.filter(Payout::paid)
			.map((p) -> TransferRequest
				.of(TransferCode.AFFILIATE_PAYOUT, p.earned().eventId(),
						this.network.wallet(p.earned().brandId(), p.earned().currency()), p.account(), p.amount())
				.withReference(p.earned().eventId())
				.about(new TransferContext(p.userId(), p.earned().guildId(), "REWARD")))
			.toList();
	}

	/** Records the payouts and returns their movements. */
	private List<RewardMovement> record(List<Payout> payouts, Map<String, Long> balanceAfter, Instant now) {
		this.jdbc
			.sql("""
					insert into reward_affiliate_payouts (brand_id, event_id, referrer_id, amount, status, reason, created_at)
					select * , :now from unnest(:brands::text[], :events::text[], :referrers::bigint[], :amounts::bigint[],
					                            :statuses::text[], :reasons::text[])
					on conflict do nothing
					""")
			.param("brands", payouts.stream().map((p) -> p.earned().brandId()).toArray(String[]::new))
			.param("events", payouts.stream().map((p) -> p.earned().eventId()).toArray(String[]::new))
			.param("referrers", payouts.stream().mapToLong(Payout::referrerId).toArray())
			.param("amounts", payouts.stream().mapToLong(Payout::amount).toArray())
			.param("statuses", payouts.stream().map((p) -> p.paid() ? "paid" : "rejected").toArray(String[]::new))
			.param("reasons", payouts.stream().map(Payout::rejection).toArray(String[]::new))
			.param("now", now.atOffset(ZoneOffset.UTC))
			.update();
		return payouts.stream()
			.map((p) -> new RewardMovement(p.earned().brandId(), p.earned().eventId(), p.referrerId(), p.userId(),
					p.earned().guildId(), p.earned().eventType(),
					p.paid() ? RewardMovement.Status.ACCEPTED : RewardMovement.Status.REJECTED, p.rejection(),
					p.amount(), p.earned().currency(), balanceAfter.getOrDefault(p.earned().eventId(), 0L), now,
					RewardMovement.AFFILIATE_PAYOUT, null, null))
			.toList();
	}

	private Map<Long, Long> referrers(String brandId, Collection<Long> memberIds) {
		Map<Long, Long> found = new HashMap<>();
		this.jdbc.sql("""
				select member_id, referrer_id from member_referrals
				where brand_id = :brand and member_id = any(:ids::bigint[])
				""")
			.param("brand", brandId)
			.param("ids", memberIds.stream().mapToLong(Long::longValue).toArray())
			.query((rs, row) -> found.put(rs.getLong(1), rs.getLong(2)))
			.list();
		return found;
	}

	/**
	 * A referrer's payout for a reward.
	 *
	 * @param rejection why it was not paid, if it was not
	 */
	private record Payout(RewardMovement earned, long referrerId, @Nullable AccountKey account, String userId,
			long amount, @Nullable String rejection) {

		boolean paid() {
			return this.rejection == null;
		}

	}

}
