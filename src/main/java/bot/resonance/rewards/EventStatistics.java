package bot.resonance.rewards;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

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

}
