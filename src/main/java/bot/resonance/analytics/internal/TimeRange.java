package bot.resonance.analytics.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.web.ApiException;

/**
 * A half-open range [{@code from}, {@code to}) of whole buckets (UTC hours or days), read
 * from the {@code from} and {@code to} query parameters.
 */
record TimeRange(Instant from, Instant to, Granularity granularity) {

	private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

	private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

	/**
	 * Reads the range. Each bound is an ISO 8601 time with a zone
	 * ({@code 2026-11-01T00:00:00Z}) or a date ({@code 2026-11-01}, its UTC midnight) and
	 * must fall on a bucket boundary. Without {@code to}, the range ends with the bucket
	 * holding {@code now}; without {@code from}, it covers the default span before
	 * {@code to}.
	 */
	static TimeRange parse(@Nullable String from, @Nullable String to, Granularity granularity, Duration defaultRange,
			Instant now) {
		Instant end = (to != null) ? aligned("to", to, granularity)
				: now.truncatedTo(granularity.unit()).plus(1, granularity.unit());
		Instant start = (from != null) ? aligned("from", from, granularity) : end.minus(defaultRange);
		if (!start.isBefore(end)) {
			throw invalid("from", "from must be before to.");
		}
		if (Duration.between(start, end).compareTo(granularity.maxRange()) > 0) {
			throw invalid("to", "The range may cover at most " + granularity.maxRange().toDays() + " days with "
					+ granularity.wireName() + " granularity.");
		}
		return new TimeRange(start, end, granularity);
	}

	/** Whether the range is made of whole UTC days. */
	boolean wholeDays() {
		return isMidnight(this.from) && isMidnight(this.to);
	}

	LocalDate firstDay() {
		return LocalDate.ofInstant(this.from, ZoneOffset.UTC);
	}

	/** The day after the range (exclusive end), for ranges of whole days. */
	LocalDate endDay() {
		return LocalDate.ofInstant(this.to, ZoneOffset.UTC);
	}

	/** The start of every bucket of the range, in order. */
	List<Instant> buckets() {
		List<Instant> starts = new java.util.ArrayList<>();
		for (Instant at = this.from; at.isBefore(this.to); at = at.plus(1, this.granularity.unit())) {
			starts.add(at);
		}
		return starts;
	}

	private static Instant aligned(String name, String text, Granularity granularity) {
		Instant instant = instant(name, text);
		if (!instant.truncatedTo(granularity.unit()).equals(instant)) {
			throw invalid(name,
					name + " must be at the start of a UTC " + granularity.wireName() + " ("
							+ instant.truncatedTo(granularity.unit()) + ", for instance) with " + granularity.wireName()
							+ " granularity.");
		}
		return instant;
	}

	private static Instant instant(String name, String text) {
		try {
			Instant instant = (text.length() == 10) ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
					: OffsetDateTime.parse(text).toInstant();
			if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
				throw invalid(name, name + " must be between 2000-01-01 and 9999-12-31.");
			}
			return instant;
		}
		catch (DateTimeParseException ex) {
			throw invalid(name, name
					+ " must be an ISO 8601 time with a zone, such as 2026-11-01T00:00:00Z, or a date, such as 2026-11-01.");
		}
	}

	private static boolean isMidnight(Instant instant) {
		return instant.truncatedTo(java.time.temporal.ChronoUnit.DAYS).equals(instant);
	}

	static ApiException invalid(String field, String message) {
		return ApiException.invalidRequest(message).with("errors", List.of(Map.of("field", field, "message", message)));
	}

}
