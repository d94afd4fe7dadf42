package bot.resonance.platform.web;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of a list: {@code has_more} tells whether another page exists and
 * {@code next_cursor} is what to pass as {@code starting_after} to get it.
 */
public record Page<T>(List<T> data, boolean hasMore, @Nullable String nextCursor) {

	private static final java.util.regex.Pattern PREFIXED_ID = java.util.regex.Pattern
		.compile("[a-z]{1,8}_[0-9A-Za-z]{10,64}");

	/**
	 * Builds a page from a query that fetched up to {@code limit + 1} rows: the extra row
	 * only tells that more exist.
	 */
	public static <T> Page<T> of(List<T> rows, int limit, java.util.function.Function<T, String> cursor) {
		boolean hasMore = rows.size() > limit;
		List<T> data = hasMore ? rows.subList(0, limit) : rows;
		return new Page<>(List.copyOf(data), hasMore,
				(hasMore && !data.isEmpty()) ? cursor.apply(data.getLast()) : null);
	}

	/**
	 * Checks a {@code starting_after} whose list's ids are Resonance's prefixed ids
	 * ({@code dlv_01J…}, {@code evt_01J…}): anything else cannot be a
	 * {@code next_cursor}, and would page from an arbitrary place.
	 */
	public static @Nullable String cursor(@Nullable String startingAfter) {
		if (startingAfter != null && !PREFIXED_ID.matcher(startingAfter).matches()) {
			throw ApiException.invalidRequest("starting_after must be an id of this list (the next_cursor of a page).");
		}
		return startingAfter;
	}

	/**
	 * A {@code starting_after} of a list whose ids are UUIDs ({@code what} names them in
	 * the refusal: "a webhook id").
	 */
	public static java.util.@Nullable UUID uuidCursor(@Nullable String startingAfter, String what) {
		if (startingAfter == null) {
			return null;
		}
		try {
			return java.util.UUID.fromString(startingAfter);
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.invalidRequest("starting_after must be " + what + " (the next_cursor of a page).");
		}
	}

	/** Checks a {@code limit} query parameter (1 to 100, default 20). */
	public static int limit(@Nullable Integer requested) {
		if (requested == null) {
			return 20;
		}
		if (requested < 1 || requested > 100) {
			throw ApiException.invalidRequest("limit must be between 1 and 100.");
		}
		return requested;
	}

}
