package bot.resonance.members;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.jspecify.annotations.Nullable;

import bot.resonance.identity.MemberStatus;
import bot.resonance.rewards.MemberRewards;

/**
 * A member as the brand sees them.
 *
 * @param memberId the member's id ({@code mem_…})
 * @param userId the Discord user id, if the member has one
 * @param referredBy the member who referred this one, if any
 * @param identities every identity, oldest first
 * @param walletAddress the person's network wallet, the same at every brand
 * @param userIdentifier how webhooks name the member: a wallet address the brand linked,
 * else the network wallet
 * @param userIdentifierType {@code evm_address}, {@code solana_address} or
 * {@code xrpl_address}
 * @param mergedFrom the member just merged into this one by a link
 * @param status active or disabled
 * @param balance balance in the brand's default currency
 * @param currency the brand's default currency
 * @param balances balance per currency: the brand's own, and the person's RSNC
 * @param pendingEvents events accepted as pending, not yet processed
 * @param createdAt when the member was first seen
 * @param today reward counts for the current UTC day
 */
public record MemberView(String memberId, @Nullable String userId, @Nullable String referredBy,
		List<IdentityView> identities, String walletAddress, @Nullable String userIdentifier,
		@Nullable String userIdentifierType, @Nullable String mergedFrom, MemberStatus status, long balance,
		String currency, List<Balance> balances, long pendingEvents, Instant createdAt, Today today) {

	MemberView mergedFrom(String merged) {
		return new MemberView(this.memberId, this.userId, this.referredBy, this.identities, this.walletAddress,
				this.userIdentifier, this.userIdentifierType, merged, this.status, this.balance, this.currency,
				this.balances, this.pendingEvents, this.createdAt, this.today);
	}

	public record IdentityView(String kind, String value) {
	}

	public record Balance(String currency, long balance) {
	}

	public record Today(LocalDate date, int rewardedEvents, @Nullable Integer dailyEventLimit,
			List<MemberRewards.TypeToday> eventTypes) {
	}

}
