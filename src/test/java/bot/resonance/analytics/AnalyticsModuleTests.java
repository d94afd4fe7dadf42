package bot.resonance.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import bot.resonance.brands.Brand;
import bot.resonance.identity.Identity;
import bot.resonance.identity.Member;
import bot.resonance.identity.MemberStatus;
import bot.resonance.identity.Members;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.CurrencyKind;
import bot.resonance.ledger.Ledger;
import bot.resonance.rewards.EventStatistics;
import bot.resonance.support.TestClockConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

/**
 * The analytics module reads what the rewards module recorded only through the query API
 * rewards owns ({@link EventStatistics}): with that API answering made-up figures, every
 * number of a summary and of the top members is exactly those figures, folded by outcome,
 * event type and bucket, and joined with the members' identities.
 */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES)
@Import(TestClockConfiguration.class)
class AnalyticsModuleTests {

	private static final AtomicLong IDS = new AtomicLong(920_000_000_000_000_000L);

	private static final LocalDate DAY = LocalDate.parse("2026-03-09");

	@MockitoBean
	EventStatistics statistics;

	@Autowired
	Analytics analytics;

	@Autowired
	Members members;

	@Autowired
	Ledger ledger;

	private Brand brand() {
		String brandId = "0x" + Long.toHexString(IDS.incrementAndGet()).repeat(3).substring(0, 40);
		this.ledger.defineCurrency(new Currency(brandId, "POINT", CurrencyKind.POINT, 0));
		this.ledger.defineCurrency(new Currency(brandId, "GEM", CurrencyKind.POINT, 0));
		Instant now = Instant.now();
		return new Brand(brandId, "Analytics module test", 60, null, false, "POINT", now, now);
	}

	@Test
	void aSummaryIsWhatTheRewardsModuleRecorded() {
		Brand brand = brand();
		Instant first = DAY.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
		Instant second = first.plus(1, ChronoUnit.DAYS);
		Instant end = first.plus(2, ChronoUnit.DAYS);
		given(this.statistics.counts(brand.brandId(), first, end, ChronoUnit.DAYS))
			.willReturn(List.of(new EventStatistics.Counts(first, "message", "awarded", "", "POINT", 3, 15),
					new EventStatistics.Counts(first, "message", "rejected", "COOLDOWN_ACTIVE", "", 1, 0),
					new EventStatistics.Counts(second, "quest", "awarded", "", "GEM", 1, 50),
					new EventStatistics.Counts(second, "quest", "pending", "", "", 2, 0),
					new EventStatistics.Counts(second, "", "rejected", "EVENT_DISABLED", "", 1, 0)));
		given(this.statistics.activeMembers(brand.brandId(), DAY, DAY.plusDays(2)))
			.willReturn(new EventStatistics.ActiveMembers(Map.of(DAY, 2L, DAY.plusDays(1), 1L), 3));

		Analytics.Summary summary = this.analytics.summary(brand, first.toString(), end.toString(), null);

		assertThat(summary.granularity()).isEqualTo("day");
		assertThat(summary.totals()).isEqualTo(new Analytics.Summary.Totals(8, 4, 2, 2,
				Map.of("COOLDOWN_ACTIVE", 1L, "EVENT_DISABLED", 1L), Map.of("GEM", 50L, "POINT", 15L), 3L, 0));
		assertThat(summary.byEventType()).containsExactly(
				new Analytics.Summary.TypeTotals(null, 1, 0, 0, 1, Map.of("EVENT_DISABLED", 1L), Map.of()),
				new Analytics.Summary.TypeTotals("message", 4, 3, 0, 1, Map.of("COOLDOWN_ACTIVE", 1L),
						Map.of("POINT", 15L)),
				new Analytics.Summary.TypeTotals("quest", 3, 1, 2, 0, Map.of(), Map.of("GEM", 50L)));
		assertThat(summary.series()).containsExactly(
				new Analytics.Summary.Bucket(first, 4, 3, 0, 1, Map.of("POINT", 15L), 2L, 0),
				new Analytics.Summary.Bucket(second, 4, 1, 2, 1, Map.of("GEM", 50L), 1L, 0));
	}

	@Test
	void theTopMembersAreThoseTheRewardsModuleRankedNamedByTheirIdentities() {
		Brand brand = brand();
		Identity discord = Identity.discord(brand.brandId(), Long.toString(IDS.incrementAndGet())).orElseThrow();
		Member member = this.members.setStatus(discord, MemberStatus.ACTIVE);
		given(this.statistics.topMembers(brand.brandId(), DAY, DAY.plusDays(7), "GEM", 5))
			.willReturn(List.of(new EventStatistics.MemberTotal(member.id(), 40, 6)));

		Analytics.TopMembers top = this.analytics.topMembers(brand, DAY.toString(), DAY.plusDays(7).toString(), "5",
				"GEM");

		assertThat(top.currency()).isEqualTo("GEM");
		assertThat(top.data()).singleElement().satisfies((entry) -> {
			assertThat(entry.memberId()).isEqualTo("mem_" + member.id());
			assertThat(entry.userId()).isEqualTo(discord.value());
			// No wallet of their own: named by their network wallet.
			assertThat(entry.userIdentifier())
				.isEqualTo(this.members.person(member.personId()).orElseThrow().address());
			assertThat(entry.userIdentifierType()).isEqualTo("evm_address");
			assertThat(entry.amountAwarded()).isEqualTo(40);
			assertThat(entry.events()).isEqualTo(6);
		});
	}

}
