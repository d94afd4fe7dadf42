package bot.resonance.platform.web;

import org.jspecify.annotations.Nullable;

/** The {@code Idempotency-Key} header, checked the same way on every endpoint. */
public final class IdempotencyKeys {

	public static final String HEADER = "Idempotency-Key";

	private IdempotencyKeys() {
	}

	/**
	 * The key sent, trimmed, or {@code null} if none was.
	 * @throws ApiException if it is not 1 to 255 printable ASCII characters without
	 * spaces
	 */
	public static @Nullable String read(@Nullable String header) {
		if (header == null) {
			return null;
		}
		String key = header.trim();
		if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			throw ApiException
				.invalidRequest("Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.");
		}
		return key;
	}

}
