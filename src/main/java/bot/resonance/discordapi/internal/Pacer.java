package bot.resonance.discordapi.internal;

import java.time.Duration;

/**
 * Monotonic time and waiting, for honouring Discord's rate limits. Real waits use the
 * system's; tests substitute one that only records them.
 */
public interface Pacer {

	Pacer SYSTEM = new Pacer() {

		@Override
		public long nanoTime() {
			return System.nanoTime();
		}

		@Override
		public void sleep(Duration duration) throws InterruptedException {
			Thread.sleep(duration);
		}

	};

	/** Monotonic nanoseconds, as {@link System#nanoTime()}. */
	long nanoTime();

	void sleep(Duration duration) throws InterruptedException;

}
