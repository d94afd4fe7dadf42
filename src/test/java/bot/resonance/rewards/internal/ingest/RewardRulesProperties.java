package bot.resonance.rewards.internal.ingest;

import bot.resonance.rewards.RejectionCode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import bot.resonance.identity.Member;
import bot.resonance.identity.MemberStatus;
import bot.resonance.ledger.AccountKey;
import bot.resonance.rewards.internal.types.EventType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules that must hold for any sequence of events: whatever the timing, cooldowns, daily
 * limits (per UTC day) and the wallet balance are never exceeded, and every unit leaving
 * the wallet is an award.
 */
class RewardRulesProperties {

	static final String BRAND = "0x" + "b".repeat(40);

	static final AccountKey WALLET = AccountKey.wallet(BRAND, "POINT");

	static final Instant START = Instant.parse("2026-11-23T20:00:00Z");

	@Property(tries = 300)
	void limitsAndBalanceAreNeverExceeded(@ForAll("gaps") List<Long> gapsMillis,
			@ForAll @IntRange(min = 0, max = 7200) int cooldown, @ForAll @IntRange(min = 1, max = 5) int dailyLimit,
			@ForAll @IntRange(min = 1, max = 6) int memberDailyLimit, @ForAll @LongRange(min = 0, max = 400) long funds,
			@ForAll @IntRange(min = 1, max = 3) int members) {
		Map<MemberTypeKey, TypeState> typeStates = new HashMap<>();
		Map<AccountKey, Long> wallets = new HashMap<>(Map.of(WALLET, funds));
		EventType type = new EventType("t", true, 10, cooldown, dailyLimit, null, null, false, null);
		Map<Long, List<Instant>> awards = new HashMap<>();
		Instant now = START;
		long awarded = 0;
		int i = 0;
		for (long gap : gapsMillis) {
			now = now.plusMillis(gap);
			long id = 1 + (i++ % members);
			Member member = new Member(BRAND, id, 100 + id, MemberStatus.ACTIVE, Instant.EPOCH);
			RewardRules rules = new RewardRules(now, typeStates, wallets);
			Decision decision = rules.decide(member, type, 10, memberDailyLimit, WALLET, false);
			switch (decision) {
				case Decision.Award award -> {
					awarded += award.amount();
					awards.computeIfAbsent(member.id(), (m) -> new ArrayList<>()).add(now);
				}
				case Decision.Defer defer -> assertThat(defer.processAfter()).isEqualTo(
						LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
				case Decision.Reject reject -> {
					if (reject.code() == RejectionCode.COOLDOWN_ACTIVE) {
						assertThat(reject.retryAfterSeconds()).isBetween(1L, (long) cooldown);
					}
				}
			}
		}
		assertThat(wallets.get(WALLET)).isEqualTo(funds - awarded).isGreaterThanOrEqualTo(0);
		for (List<Instant> times : awards.values()) {
			for (int k = 1; k < times.size(); k++) {
				assertThat(Duration.between(times.get(k - 1), times.get(k)).getSeconds())
					.isGreaterThanOrEqualTo(cooldown);
			}
			Map<LocalDate, Integer> perDay = new HashMap<>();
			times.forEach((t) -> perDay.merge(LocalDate.ofInstant(t, ZoneOffset.UTC), 1, Integer::sum));
			perDay.values()
				.forEach((count) -> assertThat(count).isLessThanOrEqualTo(Math.min(dailyLimit, memberDailyLimit)));
		}
	}

	@Provide
	Arbitrary<List<Long>> gaps() {
		return Arbitraries.longs().between(0, 3 * 3600 * 1000L).list().ofMinSize(1).ofMaxSize(60);
	}

	@Property(tries = 200)
	void dailyCountsResetExactlyAtUtcMidnight(@ForAll @IntRange(min = 0, max = 86_399) int secondOfDay,
			@ForAll @Size(max = 3) List<@IntRange(min = 1, max = 3) Integer> unused) {
		Instant beforeMidnight = LocalDate.of(2026, 11, 23)
			.atStartOfDay(ZoneOffset.UTC)
			.toInstant()
			.plusSeconds(secondOfDay);
		Map<MemberTypeKey, TypeState> typeStates = new HashMap<>();
		Map<AccountKey, Long> wallets = new HashMap<>(Map.of(WALLET, 1000L));
		EventType type = new EventType("t", true, 10, 0, 1, null, null, false, null);
		Member member = new Member(BRAND, 1, 100 + 1, MemberStatus.ACTIVE, Instant.EPOCH);
		assertThat(new RewardRules(beforeMidnight, typeStates, wallets).decide(member, type, 10, null, WALLET, false))
			.isInstanceOf(Decision.Award.class);
		Instant lastSecond = Instant.parse("2026-11-23T23:59:59.999999Z");
		assertThat(new RewardRules(lastSecond, typeStates, wallets).decide(member, type, 10, null, WALLET, false))
			.isInstanceOf(Decision.Defer.class);
		Instant midnight = Instant.parse("2026-11-24T00:00:00Z");
		assertThat(new RewardRules(midnight, typeStates, wallets).decide(member, type, 10, null, WALLET, true))
			.isInstanceOf(Decision.Award.class);
	}

}
