package bot.resonance.platform.load;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Waits with a deadline for many requests at once, kept by one thread.
 * <p>
 * A virtual thread that waits with a timeout ({@code future.get(timeout)}) arms a timer
 * of its own in the JDK's scheduler and disarms it when the answer comes first, as it
 * almost always does: each is a hand-off to the scheduler's thread, a system call each
 * way, about a tenth of the server's CPU with events at full speed. Here a request waits
 * without a timeout, and one thread ends the waits whose deadline passed, looking every
 * {@link #TICK} while any wait is on (a deadline is kept to within a tick) and sleeping
 * while none is.
 */
@Component
public final class Deadlines implements DisposableBean {

	/** How often the deadlines are looked at while any wait is on. */
	static final Duration TICK = Duration.ofMillis(10);

	private final Queue<Wait<?>> waits = new ConcurrentLinkedQueue<>();

	private final Thread keeper;

	private volatile boolean idle;

	private volatile boolean running = true;

	public Deadlines() {
		this.keeper = Thread.ofPlatform().name("resonance-deadlines").daemon(true).unstarted(this::keep);
		this.keeper.start();
	}

	/**
	 * The future's value, waiting at most {@code timeout} for it.
	 * @throws TimeoutException if the future was not done within {@code timeout} (it goes
	 * on; only the wait ends)
	 * @throws ExecutionException if the future failed
	 * @throws InterruptedException if the waiting thread was interrupted
	 */
	public <T> T await(CompletableFuture<T> future, Duration timeout)
			throws TimeoutException, ExecutionException, InterruptedException {
		if (future.isDone()) {
			return future.get();
		}
		Wait<T> wait = new Wait<>(System.nanoTime() + Math.max(0, timeout.toNanos()));
		future.whenComplete((value, failure) -> {
			if (failure != null) {
				wait.answer.completeExceptionally(failure);
			}
			else {
				wait.answer.complete(value);
			}
		});
		if (!wait.answer.isDone()) {
			this.waits.add(wait);
			if (this.idle) {
				LockSupport.unpark(this.keeper);
			}
		}
		try {
			return wait.answer.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof DeadlinePassed) {
				throw new TimeoutException("No answer within " + timeout.toMillis() + " ms");
			}
			throw ex;
		}
	}

	/** How many waits are kept now (ended ones until the next look). */
	int kept() {
		return this.waits.size();
	}

	private void keep() {
		while (this.running) {
			if (this.waits.isEmpty()) {
				this.idle = true;
				if (this.waits.isEmpty() && this.running) {
					LockSupport.park(this);
				}
				this.idle = false;
				continue;
			}
			LockSupport.parkNanos(this, TICK.toNanos());
			long now = System.nanoTime();
			this.waits.removeIf((wait) -> wait.answer.isDone() || (now - wait.deadlineNanos >= 0 && wait.expire()));
		}
	}

	@Override
	public void destroy() {
		this.running = false;
		LockSupport.unpark(this.keeper);
	}

	private static final class Wait<T> {

		private final CompletableFuture<T> answer = new CompletableFuture<>();

		private final long deadlineNanos;

		Wait(long deadlineNanos) {
			this.deadlineNanos = deadlineNanos;
		}

		boolean expire() {
			this.answer.completeExceptionally(new DeadlinePassed());
			return true;
		}

	}

	/** What ends a wait past its deadline. */
	private static final class DeadlinePassed extends Exception {

		DeadlinePassed() {
			super(null, null, false, false);
		}

	}

}
