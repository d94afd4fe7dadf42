package bot.resonance.incoming.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * How many calls refused for a bad signature each hook's call log takes per minute on
 * this node. Anyone who knows a hook's URL can send unsigned calls; each is answered, but
 * beyond the limit it is not written to the call log, so a flood costs no database writes
 * and cannot push the hook's real calls out of sight.
 */
final class RefusalLogLimiter {

	private static final Duration WINDOW = Duration.ofMinutes(1);

	private final int perMinute;

	private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

	RefusalLogLimiter(int perMinute) {
		this.perMinute = perMinute;
	}

	/** Whether a refused call to {@code hookId} at {@code now} is logged. */
	boolean admit(String hookId, Instant now) {
		Window window = this.windows.compute(hookId,
				(id, current) -> (current == null || !now.isBefore(current.start().plus(WINDOW))
						|| now.isBefore(current.start())) ? new Window(now, 1)
								: new Window(current.start(), current.count() + 1));
		if (this.windows.size() > 10_000) {
			this.windows.entrySet().removeIf((entry) -> !now.isBefore(entry.getValue().start().plus(WINDOW)));
		}
		return window.count() <= this.perMinute;
	}

	private record Window(Instant start, int count) {
	}

}
