package bot.resonance.analytics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;

/**
 * Analytics of a brand's events, for every adapter (management API, portal): summaries
 * over a range by outcome, type and UTC hour or day, and the members awarded the most.
 * Answers are exact whatever the range (see docs/analytics.md). Refusals are
 * {@link bot.resonance.platform.web.ApiException}s naming the parameter.
 */
public interface Analytics {

	/**
	 * The brand's events over [{@code from}, {@code to}) by outcome, rejection code and
	 * event type, amounts awarded per currency, unique and new members, and a series per
	 * UTC hour or day ({@code granularity}: {@code day} or {@code hour}). Times are ISO
	 * 8601 at a bucket boundary, or dates; unset, the last 7 days (day) or 24 hours
	 * (hour) up to the end of the current bucket.
	 */
	Summary summary(Brand brand, @Nullable String from, @Nullable String to, @Nullable String granularity);

	/**
	 * A {@link #summary} whose series is per {@code period}: {@code hour} or {@code day}
	 * (exactly {@link #summary}), or {@code week} (ISO weeks, from Monday) or
	 * {@code month} (calendar months) over a range of UTC days (as with {@code day}: up
	 * to 400 days). The first and last week or month are cut to the range; each bucket's
	 * unique members are the members active in it (not a sum of days). Refusals name the
	 * parameter as {@link #summary} does ({@code period} for an unknown period).
	 */
	Summary summaryByPeriod(Brand brand, @Nullable String from, @Nullable String to, @Nullable String period);

	/**
	 * The members awarded the most in one currency (default: the brand's) for events
	 * received on the UTC days [{@code from}, {@code to}) (default: the last 30 days),
	 * then by events; {@code limit} 1 to 100 (default 10).
	 */
	TopMembers topMembers(Brand brand, @Nullable String from, @Nullable String to, @Nullable String limit,
			@Nullable String currency);

	/**
	 * A summary.
	 *
	 * @param granularity {@code day} or {@code hour} ({@code week} or {@code month} from
	 * {@link #summaryByPeriod})
	 * @param byEventType per event type, by name ({@code null}: requests that named none)
	 * @param series one entry per bucket of the range, empty ones included
	 */
	record Summary(Instant from, Instant to, String granularity, Totals totals, List<TypeTotals> byEventType,
			List<Bucket> series) {

		/**
		 * @param uniqueMembers members with an event in the range, when it is made of
		 * whole UTC days ({@code null} otherwise)
		 * @param newMembers members first seen in the range
		 */
		public record Totals(long events, long awarded, long pending, long rejected, Map<String, Long> rejectedByCode,
				Map<String, Long> amountAwarded, @Nullable Long uniqueMembers, long newMembers) {
		}

		public record TypeTotals(@Nullable String eventType, long events, long awarded, long pending, long rejected,
				Map<String, Long> rejectedByCode, Map<String, Long> amountAwarded) {
		}

		/**
		 * @param uniqueMembers members with an event that day (day granularity only)
		 */
		public record Bucket(Instant start, long events, long awarded, long pending, long rejected,
				Map<String, Long> amountAwarded, @Nullable Long uniqueMembers, long newMembers) {
		}

	}

	/**
	 * The top members.
	 *
	 * @param currency the currency ranked by
	 */
	record TopMembers(Instant from, Instant to, String currency, List<Entry> data) {

		/**
		 * @param memberId {@code mem_…}
		 * @param userId the Discord user id, if any
		 * @param userIdentifier how webhooks name the member
		 * @param amountAwarded awarded in the currency over the range
		 * @param events events of any outcome over the range
		 */
		public record Entry(String memberId, @Nullable String userId, @Nullable String userIdentifier,
				@Nullable String userIdentifierType, long amountAwarded, long events) {
		}

	}

}
