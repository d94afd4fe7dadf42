package bot.resonance.analytics.internal;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;
import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityKind;
import bot.resonance.identity.Members;
import bot.resonance.identity.UserIdentifier;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.NetworkCurrency;
import bot.resonance.ledger.Ledger;
import bot.resonance.analytics.Analytics;
import bot.resonance.rewards.EventStatistics;
import org.springframework.stereotype.Service;

/**
 * {@link Analytics} over the figures the rewards module keeps of its events
 * ({@link EventStatistics}), with the members from identity and the currencies from the
 * ledger.
 */
@Service
class AnalyticsService implements Analytics {

	private static final Duration TOP_MEMBERS_DEFAULT_RANGE = Duration.ofDays(30);

	private final EventStatistics statistics;

	private final Members members;

	private final Ledger ledger;

	private final Clock clock;

	AnalyticsService(EventStatistics statistics, Members members, Ledger ledger, Clock clock) {
		this.statistics = statistics;
		this.members = members;
		this.ledger = ledger;
		this.clock = clock;
	}

	@Override
	public Summary summary(Brand brand, @Nullable String from, @Nullable String to, @Nullable String granularity) {
		Granularity buckets = (granularity != null)
				? Granularity.fromWireName(granularity)
					.orElseThrow(() -> TimeRange.invalid("granularity", "granularity must be day or hour."))
				: Granularity.DAY;
		TimeRange range = TimeRange.parse(from, to, buckets, buckets.defaultRange(), this.clock.instant());
		String brandId = brand.brandId();

		Counts totals = new Counts();
		Map<String, Counts> byType = new TreeMap<>();
		Map<Instant, Counts> series = new LinkedHashMap<>();
		range.buckets().forEach((start) -> series.put(start, new Counts()));
		for (EventStatistics.Counts row : this.statistics.counts(brandId, range.from(), range.to(), buckets.unit())) {
			totals.add(row);
			byType.computeIfAbsent(row.eventType(), (type) -> new Counts()).add(row);
			series.computeIfAbsent(row.bucket(), (start) -> new Counts()).add(row);
		}

		EventStatistics.@Nullable ActiveMembers unique = range.wholeDays()
				? this.statistics.activeMembers(brandId, range.firstDay(), range.endDay()) : null;
		Map<Instant, Long> newMembers = this.members.newMembers(brandId, range.from(), range.to(), buckets.unit());
		boolean dailyUnique = buckets == Granularity.DAY;

		List<Summary.Bucket> points = new ArrayList<>();
		series.forEach((start,
				counts) -> points.add(new Summary.Bucket(start, counts.events, counts.awarded, counts.pending,
						counts.rejected, counts.amountAwarded,
						dailyUnique ? uniqueOn(unique, LocalDate.ofInstant(start, ZoneOffset.UTC)) : null,
						newMembers.getOrDefault(start, 0L))));
		List<Summary.TypeTotals> types = new ArrayList<>();
		byType.forEach((type, counts) -> types.add(new Summary.TypeTotals(type.isEmpty() ? null : type, counts.events,
				counts.awarded, counts.pending, counts.rejected, counts.rejectedByCode, counts.amountAwarded)));
		long allNew = newMembers.values().stream().mapToLong(Long::longValue).sum();
		return new Summary(range.from(), range.to(), buckets.wireName(),
				new Summary.Totals(totals.events, totals.awarded, totals.pending, totals.rejected,
						totals.rejectedByCode, totals.amountAwarded, (unique != null) ? unique.total() : null, allNew),
				types, points);
	}

	@Override
	public Summary summaryByPeriod(Brand brand, @Nullable String from, @Nullable String to, @Nullable String period) {
		String name = (period != null) ? period : Granularity.DAY.wireName();
		if (Granularity.fromWireName(name).isPresent()) {
			return summary(brand, from, to, name);
		}
		if (!name.equals("week") && !name.equals("month")) {
			throw TimeRange.invalid("period", "period must be hour, day, week or month.");
		}
		Summary days = summary(brand, from, to, Granularity.DAY.wireName());
		LocalDate end = LocalDate.ofInstant(days.to(), ZoneOffset.UTC);
		List<Summary.Bucket> periods = new ArrayList<>();
		int next = 0;
		for (LocalDate start = LocalDate.ofInstant(days.from(), ZoneOffset.UTC); start.isBefore(end);) {
			LocalDate after = name.equals("week") ? start.with(TemporalAdjusters.next(DayOfWeek.MONDAY))
					: start.withDayOfMonth(1).plusMonths(1);
			if (after.isAfter(end)) {
				after = end;
			}
			Instant limit = after.atStartOfDay(ZoneOffset.UTC).toInstant();
			Counts counts = new Counts();
			long newMembers = 0;
			for (; next < days.series().size() && days.series().get(next).start().isBefore(limit); next++) {
				Summary.Bucket day = days.series().get(next);
				counts.events += day.events();
				counts.awarded += day.awarded();
				counts.pending += day.pending();
				counts.rejected += day.rejected();
				day.amountAwarded()
					.forEach((currency, amount) -> counts.amountAwarded.merge(currency, amount, Long::sum));
				newMembers += day.newMembers();
			}
			// Members active on several days of the period count once: asked for the
			// period.
			long unique = this.statistics.activeMembers(brand.brandId(), start, after).total();
			periods.add(new Summary.Bucket(start.atStartOfDay(ZoneOffset.UTC).toInstant(), counts.events,
					counts.awarded, counts.pending, counts.rejected, counts.amountAwarded, unique, newMembers));
			start = after;
		}
		return new Summary(days.from(), days.to(), name, days.totals(), days.byEventType(), periods);
	}

	@Override
	public TopMembers topMembers(Brand brand, @Nullable String from, @Nullable String to, @Nullable String limit,
			@Nullable String currency) {
		TimeRange range = TimeRange.parse(from, to, Granularity.DAY, TOP_MEMBERS_DEFAULT_RANGE, this.clock.instant());
		int size = limit(limit);
		String brandId = brand.brandId();
		String ranked = (currency != null) ? currency : brand.defaultCurrency();
		// The brand's own currencies, and the network currency it may pay too.
		if (!NetworkCurrency.isNetwork(ranked)
				&& this.ledger.currencies(brandId).stream().map(Currency::code).noneMatch(ranked::equals)) {
			throw TimeRange.invalid("currency", "currency must be one of this brand's currencies.");
		}
		List<EventStatistics.MemberTotal> top = this.statistics.topMembers(brandId, range.firstDay(), range.endDay(),
				ranked, size);
		Map<Long, List<Identity>> identities = this.members.identities(brandId,
				top.stream().map(EventStatistics.MemberTotal::memberId).toList());
		List<TopMembers.Entry> entries = new ArrayList<>();
		Map<Long, UserIdentifier> identifiers = this.members.bestIdentifiers(brandId,
				top.stream().map(EventStatistics.MemberTotal::memberId).toList());
		for (EventStatistics.MemberTotal member : top) {
			List<Identity> known = identities.getOrDefault(member.memberId(), List.of());
			String userId = known.stream()
				.filter((identity) -> identity.kind() == IdentityKind.DISCORD)
				.map(Identity::value)
				.findFirst()
				.orElse(null);
			UserIdentifier best = identifiers.get(member.memberId());
			entries.add(new TopMembers.Entry("mem_" + member.memberId(), userId, (best != null) ? best.value() : null,
					(best != null) ? best.type() : null, member.awarded(), member.events()));
		}
		return new TopMembers(range.from(), range.to(), ranked, entries);
	}

	/**
	 * Members active on a day: counted per day only for ranges of whole days (0 when none
	 * were).
	 */
	private static long uniqueOn(EventStatistics.@Nullable ActiveMembers unique, LocalDate day) {
		return (unique != null) ? unique.perDay().getOrDefault(day, 0L) : 0L;
	}

	private static int limit(@Nullable String limit) {
		if (limit == null) {
			return 10;
		}
		// ASCII digits only, as every other whole number the API reads: parseInt would
		// take "+5" and digits of other scripts too.
		if (limit.matches("[0-9]{1,9}")) {
			int value = Integer.parseInt(limit);
			if (value >= 1 && value <= 100) {
				return value;
			}
		}
		throw TimeRange.invalid("limit", "limit must be a whole number from 1 to 100.");
	}

	/** Running totals of aggregate rows. */
	private static final class Counts {

		long events;

		long awarded;

		long pending;

		long rejected;

		final Map<String, Long> rejectedByCode = new TreeMap<>();

		final Map<String, Long> amountAwarded = new TreeMap<>();

		void add(EventStatistics.Counts row) {
			this.events += row.events();
			switch (row.outcome()) {
				case "awarded" -> {
					this.awarded += row.events();
					if (row.amount() != 0) {
						this.amountAwarded.merge(row.currency(), row.amount(), Long::sum);
					}
				}
				case "pending" -> this.pending += row.events();
				default -> {
					this.rejected += row.events();
					if (row.events() != 0) {
						this.rejectedByCode.merge(row.errorCode(), row.events(), Long::sum);
					}
				}
			}
		}

	}

}
