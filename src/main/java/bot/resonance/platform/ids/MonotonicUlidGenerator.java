package bot.resonance.platform.ids;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * ULIDs (48-bit millisecond timestamp + 80 random bits) that increase strictly within the
 * process: within one millisecond the random part is incremented, so ids sort in issue
 * order, which keeps B-tree inserts at the right edge of the index.
 */
public final class MonotonicUlidGenerator implements IdGenerator {

	private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

	private final Clock clock;

	private final RandomGenerator random;

	private long lastMillis = -1;

	private long randomHigh; // 16 bits

	private long randomLow; // 64 bits

	/**
	 * A generator whose random part comes from a fast generator seeded from
	 * {@link SecureRandom}: ids need to be unique, not secret (no id grants access to
	 * anything).
	 */
	public MonotonicUlidGenerator(Clock clock) {
		this(clock, new SplittableRandom(new SecureRandom().nextLong()));
	}

	public MonotonicUlidGenerator(Clock clock, RandomGenerator random) {
		this.clock = clock;
		this.random = random;
	}

	@Override
	public String ulid() {
		long millis;
		long high;
		long low;
		synchronized (this) {
			millis = Math.max(this.clock.millis(), this.lastMillis);
			if (millis == this.lastMillis) {
				this.randomLow++;
				if (this.randomLow == 0) {
					this.randomHigh = (this.randomHigh + 1) & 0xFFFF;
					if (this.randomHigh == 0) {
						// 80 bits exhausted within one millisecond: move to the next one.
						millis++;
						reseed();
					}
				}
			}
			else {
				reseed();
			}
			this.lastMillis = millis;
			high = this.randomHigh;
			low = this.randomLow;
		}
		return encode(millis, high, low);
	}

	private void reseed() {
		this.randomHigh = this.random.nextLong() & 0xFFFF;
		this.randomLow = this.random.nextLong();
	}

	/**
	 * The smallest ULID of the millisecond {@code millis}: every ULID made earlier sorts
	 * before it, every one made then or later does not.
	 */
	public static String lowestAt(long millis) {
		return encode(millis, 0, 0);
	}

	static String encode(long millis, long high16, long low64) {
		char[] out = new char[26];
		// 48-bit time in 10 characters (50 bits, the top two are zero).
		long time = millis & 0xFFFF_FFFF_FFFFL;
		for (int i = 9; i >= 0; i--) {
			out[i] = ALPHABET[(int) (time & 31)];
			time >>>= 5;
		}
		// 80 random bits in 16 characters: take 5 bits at a time from the 80-bit number.
		for (int i = 25; i >= 10; i--) {
			out[i] = ALPHABET[(int) (low64 & 31)];
			low64 = (low64 >>> 5) | ((high16 & 31) << 59);
			high16 >>>= 5;
		}
		return new String(out);
	}

}
