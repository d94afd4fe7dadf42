package bot.resonance.rewards;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What a brand's recorded events come to, for analytics: the aggregates the event
 * pipeline keeps in the transaction that records the events (per hour, and per member and
 * UTC day) and the weeks and months rolled up from them. Every answer is exact (a pending
 * event counts with its current outcome, a merged member's events with the survivor), and
 * costs the same however long the brand's history: it reads the range asked for, not the
 * events.
 *
 * <p>
 * The rewards module owns these aggregates and keeps them; other modules read them only
 * through this interface.
 */
public interface EventStatistics {

	/**
	 * Events received in [{@code from}, {@code to}) counted per bucket, event type,
	 * outcome, rejection code and currency (only combinations that occurred).
	 * @param bucket {@link ChronoUnit#HOURS} or {@link ChronoUnit#DAYS} (UTC), to which
	 * both ends are aligned
	 */
	List<Counts> counts(String brandId, Instant from, Instant to, ChronoUnit bucket);

	/**
	 * Members with at least one recorded event on the UTC days [{@code from},
	 * {@code to}): per day and over all of them.
	 */
	ActiveMembers activeMembers(String brandId, LocalDate from, LocalDate to);

	/**
	 * The members awarded the most in {@code currency} for events received on the UTC
	 * days [{@code from}, {@code to}) (only those awarded something), most first, then by
	 * events of any outcome on those days, then the older member first.
	 */
	List<MemberTotal> topMembers(String brandId, LocalDate from, LocalDate to, String currency, int limit);

	/**
	 * A page of the members ranked as {@link #topMembers} ranks them (most awarded in
	 * {@code currency} for events received on the UTC days [{@code from}, {@code to}),
	 * then most events of any outcome, then the older member; only those awarded
	 * something), with their ranks, how many are ranked, and where {@code memberId}
	 * stands. The page, the count and the member's place are read in one snapshot, so
	 * they agree. A page past the last one is the last page.
	 * @param offset how many ranked members come before the page
	 * @param limit the page's size, at least 1
	 * @param memberId the member whose place to tell, if any
	 */
	Ranking ranking(String brandId, LocalDate from, LocalDate to, String currency, long offset, int limit,
			@Nullable Long memberId);

	/**
	 * The first UTC day any member of the brand had an event recorded on, if any has:
	 * where an all-time range starts.
	 */
	Optional<LocalDate> firstActiveDay(String brandId);

	/**
	 * Events of one bucket, event type, outcome, code and currency.
	 *
	 * @param bucket the start of the hour or day
	 * @param eventType the event type named, {@code ""} when the request named none
	 * @param outcome {@code awarded}, {@code pending} or {@code rejected}
	 * @param errorCode the rejection code, {@code ""} unless rejected
	 * @param currency the currency awarded, {@code ""} unless awarded
	 * @param events how many
	 * @param amount the amount they awarded, in the currency's smallest unit
	 */
	record Counts(Instant bucket, String eventType, String outcome, String errorCode, String currency, long events,
			long amount) {
	}

	/**
	 * Active members of a range of days.
	 *
	 * @param perDay per day of the range (days without any are left out)
	 * @param total distinct members over the whole range
	 */
	record ActiveMembers(Map<LocalDate, Long> perDay, long total) {
	}

	/**
	 * A member's totals over a range of days.
	 *
	 * @param memberId the member
	 * @param awarded what the member was awarded in the currency ranked by
	 * @param events the member's events of any outcome
	 */
	record MemberTotal(long memberId, long awarded, long events) {
	}

	/**
	 * A member's place in a {@link Ranking}.
	 *
	 * @param rank 1 for the first
	 * @param memberId the member
	 * @param awarded what the member was awarded in the currency ranked by
	 * @param events the member's events of any outcome
	 */
	record Ranked(long rank, long memberId, long awarded, long events) {
	}

	/**
	 * A page of ranked members.
	 *
	 * @param page the page's members, first rank first (empty if nobody is ranked)
	 * @param ranked how many members are ranked in all
	 * @param member the place of the member asked about, if they are ranked
	 */
	record Ranking(List<Ranked> page, long ranked, Optional<Ranked> member) {

		public Ranking {
			page = List.copyOf(page);
		}

	}

}
