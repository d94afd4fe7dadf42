package bot.resonance.rewards.internal.ingest;

import bot.resonance.rewards.PendingReason;
import bot.resonance.rewards.RejectionCode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import bot.resonance.identity.Member;
import bot.resonance.identity.MemberStatus;
import bot.resonance.ledger.AccountKey;
import bot.resonance.rewards.internal.types.EventType;

import static org.assertj.core.api.Assertions.assertThat;

class RewardRulesUnitTests {

	static final String BRAND = "0x" + "a".repeat(40);

	static final AccountKey WALLET = AccountKey.wallet(BRAND, "POINT");

	final Member alice = new Member(BRAND, 1, 100 + 1, MemberStatus.ACTIVE, Instant.EPOCH);

	final Map<MemberTypeKey, TypeState> typeStates = new HashMap<>();

	final Map<AccountKey, Long> wallets = new HashMap<>(Map.of(WALLET, 1_000L));

	static EventType type(int cooldown, Integer dailyLimit) {
		return new EventType("checkin", true, 10, cooldown, dailyLimit, null, null, false, null);
	}

	RewardRules at(String instant) {
		return new RewardRules(Instant.parse(instant), this.typeStates, this.wallets);
	}

	@Test
	void awardsAndDebitsTheWallet() {
		Decision decision = at("2026-11-23T10:00:00Z").decide(this.alice, type(0, null), 10, null, WALLET, false);
		assertThat(decision).isEqualTo(new Decision.Award(10));
		assertThat(this.wallets.get(WALLET)).isEqualTo(990);
	}

	@Test
	void disabledMemberIsRejectedFirst() {
		Member disabled = new Member(BRAND, 2, 100 + 2, MemberStatus.DISABLED, Instant.EPOCH);
		this.wallets.put(WALLET, 0L);
		Decision decision = at("2026-11-23T10:00:00Z").decide(disabled, type(0, null), 10, null, WALLET, false);
		assertThat(decision).isInstanceOf(Decision.Reject.class);
		assertThat(((Decision.Reject) decision).code()).isEqualTo(RejectionCode.USER_DISABLED);
	}

	@Test
	void cooldownRejectsWithSecondsRemainingRoundedUp() {
		EventType type = type(3600, null);
		at("2026-11-23T10:00:00Z").decide(this.alice, type, 10, null, WALLET, false);
		Decision second = at("2026-11-23T10:59:59.200Z").decide(this.alice, type, 10, null, WALLET, false);
		assertThat(second).isEqualTo(new Decision.Reject(RejectionCode.COOLDOWN_ACTIVE,
				"User is currently in cooldown for this event type.", 1L));
		Decision third = at("2026-11-23T10:00:01Z").decide(this.alice, type, 10, null, WALLET, false);
		assertThat(((Decision.Reject) third).retryAfterSeconds()).isEqualTo(3599);
	}

	@Test
	void cooldownEndsExactlyAtItsEnd() {
		EventType type = type(60, null);
		at("2026-11-23T10:00:00Z").decide(this.alice, type, 10, null, WALLET, false);
		assertThat(at("2026-11-23T10:01:00Z").decide(this.alice, type, 10, null, WALLET, false))
			.isInstanceOf(Decision.Award.class);
	}

	@Test
	void pendingEventInCooldownWaitsForItsEndInsteadOfBeingRejected() {
		EventType type = type(600, null);
		at("2026-11-23T10:00:00Z").decide(this.alice, type, 10, null, WALLET, false);
		Decision decision = at("2026-11-23T10:05:00Z").decide(this.alice, type, 10, null, WALLET, true);
		assertThat(decision)
			.isEqualTo(new Decision.Defer(Instant.parse("2026-11-23T10:10:00Z"), PendingReason.COOLDOWN_ACTIVE));
	}

	@Test
	void typeDailyLimitDefersToNextUtcMidnight() {
		EventType type = type(0, 2);
		RewardRules rules = at("2026-11-23T23:59:59Z");
		assertThat(rules.decide(this.alice, type, 10, null, WALLET, false)).isInstanceOf(Decision.Award.class);
		assertThat(rules.decide(this.alice, type, 10, null, WALLET, false)).isInstanceOf(Decision.Award.class);
		assertThat(rules.decide(this.alice, type, 10, null, WALLET, false))
			.isEqualTo(new Decision.Defer(Instant.parse("2026-11-24T00:00:00Z"), PendingReason.DAILY_LIMIT_REACHED));
		// A new UTC day starts a new count.
		assertThat(at("2026-11-24T00:00:00Z").decide(this.alice, type, 10, null, WALLET, true))
			.isInstanceOf(Decision.Award.class);
	}

	@Test
	void memberDailyLimitCountsEveryType() {
		EventType checkin = type(0, null);
		EventType message = new EventType("message", true, 10, 0, null, null, null, false, null);
		RewardRules rules = at("2026-11-23T12:00:00Z");
		assertThat(rules.decide(this.alice, checkin, 10, 2, WALLET, false)).isInstanceOf(Decision.Award.class);
		assertThat(rules.decide(this.alice, message, 10, 2, WALLET, false)).isInstanceOf(Decision.Award.class);
		assertThat(rules.decide(this.alice, message, 10, 2, WALLET, false)).isEqualTo(
				new Decision.Defer(Instant.parse("2026-11-24T00:00:00Z"), PendingReason.USER_DAILY_LIMIT_REACHED));
	}

	@Test
	void memberDailyLimitCountsRewardsOfOtherTypesEarlierToday() {
		this.typeStates.put(new MemberTypeKey(BRAND, 1, "message"),
				new TypeState(Instant.parse("2026-11-23T08:00:00Z"), java.time.LocalDate.parse("2026-11-23"), 2));
		this.typeStates.put(new MemberTypeKey(BRAND, 1, "reaction"),
				new TypeState(Instant.parse("2026-11-22T08:00:00Z"), java.time.LocalDate.parse("2026-11-22"), 5));
		RewardRules rules = at("2026-11-23T12:00:00Z");
		assertThat(rules.decide(this.alice, type(0, null), 10, 3, WALLET, false)).isInstanceOf(Decision.Award.class);
		assertThat(rules.decide(this.alice, type(0, null), 10, 3, WALLET, false)).isInstanceOf(Decision.Defer.class);
	}

	@Test
	void insufficientBalanceRejectsAndMovesNothing() {
		this.wallets.put(WALLET, 15L);
		RewardRules rules = at("2026-11-23T12:00:00Z");
		assertThat(rules.decide(this.alice, type(0, null), 10, null, WALLET, false)).isInstanceOf(Decision.Award.class);
		Decision second = rules.decide(this.alice, type(0, null), 10, null, WALLET, false);
		assertThat(((Decision.Reject) second).code()).isEqualTo(RejectionCode.INSUFFICIENT_BALANCE);
		assertThat(this.wallets.get(WALLET)).isEqualTo(5);
		// A rejected event leaves no trace in the rule state.
		assertThat(this.typeStates.get(new MemberTypeKey(BRAND, 1, "checkin")).dayCount()).isEqualTo(1);
	}

	@Test
	void deferredEventsDoNotStartACooldown() {
		EventType type = new EventType("checkin", true, 10, 60, 1, null, null, false, null);
		RewardRules rules = at("2026-11-23T12:00:00Z");
		rules.decide(this.alice, type, 10, null, WALLET, false);
		TypeState before = this.typeStates.get(new MemberTypeKey(BRAND, 1, "checkin"));
		at("2026-11-23T12:05:00Z").decide(this.alice, type, 10, null, WALLET, false);
		assertThat(this.typeStates.get(new MemberTypeKey(BRAND, 1, "checkin"))).isEqualTo(before);
	}

}
