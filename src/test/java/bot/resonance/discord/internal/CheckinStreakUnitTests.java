package bot.resonance.discord.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The streak and bonus arithmetic of {@code /checkin}, around the UTC day boundary. */
class CheckinStreakUnitTests {

	private static final LocalDate MONDAY = LocalDate.parse("2030-01-07");

	private static final CheckinStreak THREE_ON_MONDAY = new CheckinStreak(3, 5, MONDAY);

	private static final Duration GRACE = Duration.ofHours(12);

	@Test
	void aFirstCheckInStartsAStreak() {
		assertThat(CheckinStreak.after(null, at("2030-01-07T23:59:59Z"), GRACE))
			.isEqualTo(new CheckinStreak(1, 1, MONDAY));
	}

	@Test
	void theNextUtcDayContinuesFromItsFirstToItsLastSecond() {
		assertThat(CheckinStreak.after(THREE_ON_MONDAY, at("2030-01-08T00:00:00Z"), Duration.ZERO).current())
			.isEqualTo(4);
		assertThat(CheckinStreak.after(THREE_ON_MONDAY, at("2030-01-08T23:59:59Z"), Duration.ZERO).current())
			.isEqualTo(4);
	}

	@Test
	void theGraceWindowContinuesAfterTheNextDayEndsAndNotAfterIt() {
		CheckinStreak late = CheckinStreak.after(THREE_ON_MONDAY, at("2030-01-09T11:59:59Z"), GRACE);
		assertThat(late).isEqualTo(new CheckinStreak(4, 5, LocalDate.parse("2030-01-09")));
		assertThat(CheckinStreak.after(THREE_ON_MONDAY, at("2030-01-09T12:00:00Z"), GRACE))
			.isEqualTo(new CheckinStreak(1, 5, LocalDate.parse("2030-01-09")));
		assertThat(CheckinStreak.after(THREE_ON_MONDAY, at("2030-01-09T00:00:00Z"), Duration.ZERO).current())
			.isEqualTo(1);
		assertThat(CheckinStreak.after(THREE_ON_MONDAY, at("2030-01-09T23:59:59Z"), Duration.ofHours(24)).current())
			.isEqualTo(4);
		assertThat(THREE_ON_MONDAY.keepUntil(GRACE)).isEqualTo(at("2030-01-09T12:00:00Z"));
	}

	@Test
	void aCheckInOnTheSameDayOrEarlierChangesNothing() {
		assertThat(CheckinStreak.after(THREE_ON_MONDAY, at("2030-01-07T18:00:00Z"), GRACE)).isSameAs(THREE_ON_MONDAY);
		assertThat(CheckinStreak.after(THREE_ON_MONDAY, at("2030-01-06T18:00:00Z"), GRACE)).isSameAs(THREE_ON_MONDAY);
	}

	@Test
	void aLongerStreakBecomesTheBest() {
		CheckinStreak five = new CheckinStreak(5, 5, MONDAY);
		assertThat(CheckinStreak.after(five, at("2030-01-08T08:00:00Z"), GRACE))
			.isEqualTo(new CheckinStreak(6, 6, LocalDate.parse("2030-01-08")));
	}

	@Test
	void theHighestApplicableMultiplierWinsAndTheAmountIsRoundedDownAndCapped() {
		CheckinSettings settings = new CheckinSettings(12,
				List.of(new CheckinSettings.Bonus(7, new BigDecimal("2")),
						new CheckinSettings.Bonus(14, new BigDecimal("1.5")),
						new CheckinSettings.Bonus(3, new BigDecimal("3"))));
		assertThat(settings.multiplierOn(1)).isEmpty();
		assertThat(settings.multiplierOn(7)).contains(new BigDecimal("2"));
		assertThat(settings.multiplierOn(14)).contains(new BigDecimal("2"));
		assertThat(settings.multiplierOn(21)).contains(new BigDecimal("3"));
		assertThat(settings.nextBonusAfter(7)).contains(new CheckinSettings.NextBonus(9, new BigDecimal("3")));
		assertThat(settings.nextBonusAfter(20)).contains(new CheckinSettings.NextBonus(21, new BigDecimal("3")));
		assertThat(new CheckinSettings(0, List.of()).nextBonusAfter(3)).isEmpty();
		assertThat(CheckinSettings.bonusAmount(15, new BigDecimal("1.5"), null)).isEqualTo(22);
		assertThat(CheckinSettings.bonusAmount(15, new BigDecimal("2"), 25L)).isEqualTo(25);
		assertThat(CheckinSettings.bonusAmount(Long.MAX_VALUE / 2, BigDecimal.TEN, null)).isEqualTo(Long.MAX_VALUE);
		assertThat(CheckinSettings.normal(new BigDecimal("10.00")).toPlainString()).isEqualTo("10");
	}

	private static Instant at(String instant) {
		return Instant.parse(instant);
	}

}
