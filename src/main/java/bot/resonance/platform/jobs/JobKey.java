package bot.resonance.platform.jobs;

import org.jspecify.annotations.Nullable;

/**
 * Which job of a queue: a key unique within the queue and brand.
 *
 * @param brandId the brand whose job it is, {@code null} for jobs that are no brand's
 * @param key the job's key (a trade id, an event id, ...)
 */
public record JobKey(@Nullable String brandId, String key) {

	/** The longest key. */
	public static final int MAX_KEY_LENGTH = 200;

	public JobKey {
		if (brandId != null && brandId.isEmpty()) {
			throw new IllegalArgumentException("A job's brand id is null or not empty");
		}
		if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
			throw new IllegalArgumentException("A job key has 1 to " + MAX_KEY_LENGTH + " characters: " + key);
		}
	}

	/** A brand's job. */
	public static JobKey of(String brandId, String key) {
		return new JobKey(brandId, key);
	}

	/** A job that is no brand's. */
	public static JobKey of(String key) {
		return new JobKey(null, key);
	}

	/** The brand id as stored: {@code ''} for no brand. */
	String storedBrandId() {
		return (this.brandId != null) ? this.brandId : "";
	}

}
