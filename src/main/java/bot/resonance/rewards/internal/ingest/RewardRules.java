package bot.resonance.rewards.internal.ingest;

import bot.resonance.rewards.PendingReason;
import bot.resonance.rewards.RejectionCode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import bot.resonance.identity.Member;
import bot.resonance.ledger.AccountKey;
import bot.resonance.rewards.internal.types.EventType;

/**
 * The reward rules, applied to a batch of events in order against state loaded (and
 * locked) for the batch. Pure: no I/O, time comes in as {@code now}, so every rule is
 * tested without a database or a sleeping clock. Each decision updates the in-memory
 * state, so later events in the same batch see earlier rewards.
 *
 * <p>
 * The checks run in this order: member disabled, cooldown, the type's daily limit, the
 * member's daily limit across types, the brand wallet's balance.
 */
public final class RewardRules {

	private final Instant now;

	private final LocalDate today;

	private final Map<MemberTypeKey, TypeState> typeStates;

	/** Rewards today per member, across types. */
	private final Map<MemberKey, Integer> rewardedToday = new HashMap<>();

	private final Map<AccountKey, Long> walletBalances;

	/**
	 * Rules over the given state, which they update as they reward.
	 * @param now the time of the decisions
	 * @param typeStates the state of every event type of every member concerned (not only
	 * of the types at hand: a member's rewards today are counted across all their types)
	 * @param walletBalances the paying wallets' balances
	 */
	public RewardRules(Instant now, Map<MemberTypeKey, TypeState> typeStates, Map<AccountKey, Long> walletBalances) {
		this.now = now;
		this.today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		this.typeStates = typeStates;
		this.walletBalances = walletBalances;
		typeStates
			.forEach((key, state) -> this.rewardedToday.merge(key.member(), state.countOn(this.today), Integer::sum));
	}

	/**
	 * Decides one event.
	 * @param member who earns
	 * @param type the event type's rules (enabled)
	 * @param amount the reward asked for
	 * @param memberDailyLimit the brand's per-member daily limit across types, if any
	 * @param wallet the brand wallet that pays
	 * @param pending whether this is a pending event coming due (a running cooldown then
	 * postpones it instead of rejecting it)
	 */
	public Decision decide(Member member, EventType type, long amount, @Nullable Integer memberDailyLimit,
			AccountKey wallet, boolean pending) {
		if (!member.isActive()) {
			return new Decision.Reject(RejectionCode.USER_DISABLED, "User account is disabled for this brand.", null);
		}
		MemberTypeKey typeKey = new MemberTypeKey(member.brandId(), member.id(), type.name());
		MemberKey memberKey = typeKey.member();
		TypeState typeState = this.typeStates.get(typeKey);
		if (type.cooldownSeconds() > 0 && typeState != null) {
			Instant cooldownEnds = typeState.lastAwardedAt().plusSeconds(type.cooldownSeconds());
			if (this.now.isBefore(cooldownEnds)) {
				if (pending) {
					return new Decision.Defer(cooldownEnds, PendingReason.COOLDOWN_ACTIVE);
				}
				return new Decision.Reject(RejectionCode.COOLDOWN_ACTIVE,
						"User is currently in cooldown for this event type.", secondsUntil(cooldownEnds));
			}
		}
		int typeCount = (typeState != null) ? typeState.countOn(this.today) : 0;
		if (type.dailyLimit() != null && typeCount >= type.dailyLimit()) {
			return new Decision.Defer(nextUtcMidnight(), PendingReason.DAILY_LIMIT_REACHED);
		}
		int dayCount = this.rewardedToday.getOrDefault(memberKey, 0);
		if (memberDailyLimit != null && dayCount >= memberDailyLimit) {
			return new Decision.Defer(nextUtcMidnight(), PendingReason.USER_DAILY_LIMIT_REACHED);
		}
		long balance = this.walletBalances.getOrDefault(wallet, 0L);
		if (balance < amount) {
			return new Decision.Reject(RejectionCode.INSUFFICIENT_BALANCE, "Brand wallet has insufficient funds.",
					null);
		}
		this.walletBalances.put(wallet, balance - amount);
		this.typeStates.put(typeKey, new TypeState(this.now, this.today, typeCount + 1));
		this.rewardedToday.put(memberKey, dayCount + 1);
		return new Decision.Award(amount);
	}

	/** The start of the next UTC day. */
	public Instant nextUtcMidnight() {
		return this.today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	private long secondsUntil(Instant instant) {
		Duration remaining = Duration.between(this.now, instant);
		long seconds = remaining.getSeconds() + ((remaining.getNano() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

}
