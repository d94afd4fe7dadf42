package bot.resonance.rewards.internal.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityKind;
import bot.resonance.identity.Member;
import bot.resonance.identity.Members;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.TransferRequest;
import bot.resonance.rewards.RewardMovement;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Affiliate payouts: when a member is rewarded for an event type with an
 * {@code affiliate_amount}, their referrer earns that amount from the same wallet, in the
 * same transaction — or, if the wallet cannot pay it after the batch's rewards, the
 * referrer is disabled, or an unsigned event's cap would be passed, the payout is
 * recorded as rejected. Costs nothing for batches without affiliate types.
 */
@Component
class AffiliatePayouts {

	private final JdbcClient jdbc;

	private final Members members;

	AffiliatePayouts(JdbcClient jdbc, Members members) {
		this.jdbc = jdbc;
		this.members = members;
	}

	/**
	 * Decides the payouts of a batch's rewards. {@code walletBalances} holds what the
	 * wallets have left after the batch's rewards, and is updated.
	 */
	List<Payout> decide(List<Earned> earned, Map<AccountKey, Long> walletBalances) {
		List<Earned> eligible = earned.stream().filter((e) -> e.affiliateAmount() != null).toList();
		if (eligible.isEmpty()) {
			return List.of();
		}
		Map<String, Set<Long>> memberIds = new HashMap<>();
		eligible.forEach((e) -> memberIds.computeIfAbsent(e.brandId(), (b) -> new HashSet<>()).add(e.memberId()));
		List<Payout> payouts = new ArrayList<>();
		memberIds.forEach((brandId, ids) -> {
			Map<Long, Long> referrers = referrers(brandId, ids);
			Map<Long, Member> referrerMembers = this.members.findByIds(brandId, referrers.values());
			Map<Long, List<Identity>> identities = this.members.identities(brandId, referrers.values());
			for (Earned e : eligible) {
				Long referrer = e.brandId().equals(brandId) ? referrers.get(e.memberId()) : null;
				if (referrer == null) {
					continue;
				}
				long amount = e.affiliateAmount();
				Member member = referrerMembers.get(referrer);
				AccountKey wallet = AccountKey.wallet(brandId, e.currency());
				long left = walletBalances.getOrDefault(wallet, 0L);
				String userId = identities.getOrDefault(referrer, List.of())
					.stream()
					.filter((i) -> i.kind() == IdentityKind.DISCORD)
					.map(Identity::value)
					.findFirst()
					.orElse("");
				String rejection = (member == null || !member.isActive()) ? "USER_DISABLED"
						: (e.cap() != null && e.awarded() + amount > e.cap()) ? "AMOUNT_CAP_EXCEEDED"
								: (left < amount) ? "INSUFFICIENT_BALANCE" : null;
				if (rejection == null) {
					walletBalances.put(wallet, left - amount);
				}
				payouts.add(new Payout(e, referrer, userId, amount, rejection));
			}
		});
		return payouts;
	}

	/** The transfers of the paid payouts. */
	static List<TransferRequest> transfers(List<Payout> payouts) {
		return payouts.stream()
			.filter(Payout::paid)
			.map((p) -> new TransferRequest(AccountKey.wallet(p.earned().brandId(), p.earned().currency()),
					AccountKey.member(p.earned().brandId(), p.earned().currency(), p.referrerId()), p.amount(),
					"affiliate:" + p.earned().eventId(), "affiliate", reference(p.earned().eventId())))
			.toList();
	}

	/** The transfer reference of an event's payout. */
	static String reference(String eventId) {
		return "affiliate:" + eventId;
	}

	/** Records the payouts and returns their movements, for webhooks. */
	List<RewardMovement> record(List<Payout> payouts, Map<String, Long> balanceAfter, Instant now) {
		if (payouts.isEmpty()) {
			return List.of();
		}
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
			.param("now", now.atOffset(java.time.ZoneOffset.UTC))
			.update();
		return payouts.stream()
			.map((p) -> new RewardMovement(p.earned().brandId(), p.earned().eventId(), p.referrerId(), p.userId(),
					p.earned().guildId(), p.earned().eventType(),
					p.paid() ? RewardMovement.Status.ACCEPTED : RewardMovement.Status.REJECTED, p.rejection(),
					p.amount(), p.earned().currency(), balanceAfter.getOrDefault(reference(p.earned().eventId()), 0L),
					now, RewardMovement.AFFILIATE_PAYOUT))
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
	 * A reward that may pay an affiliate.
	 *
	 * @param awarded what the member was paid
	 * @param affiliateAmount the type's affiliate amount, if it has one
	 * @param cap the most the event may move in all (an unsigned manual event), if
	 * capped: a payout that would pass it is rejected ({@code AMOUNT_CAP_EXCEEDED})
	 */
	record Earned(String brandId, String eventId, long memberId, @Nullable String guildId, String eventType,
			String currency, long awarded, @Nullable Long affiliateAmount, @Nullable Long cap) {
	}

	/**
	 * A referrer's payout for a reward.
	 *
	 * @param rejection why it was not paid, if it was not
	 */
	record Payout(Earned earned, long referrerId, String userId, long amount, @Nullable String rejection) {

		boolean paid() {
			return this.rejection == null;
		}

	}

}
