package bot.resonance.platform.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class DeadlinesUnitTests {

	private final Deadlines deadlines = new Deadlines();

	@AfterEach
	void stop() {
		this.deadlines.destroy();
	}

	@Test
	void answersWithTheValueWhenItComesInTime() throws Exception {
		CompletableFuture<String> future = new CompletableFuture<>();
		CompletableFuture<String> answer = waitInBackground(future, Duration.ofSeconds(30));
		future.complete("done");
		assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(this.deadlines.await(CompletableFuture.completedFuture("ready"), Duration.ZERO)).isEqualTo("ready");
	}

	@Test
	void passesTheFailureOfTheFutureOn() {
		CompletableFuture<String> future = new CompletableFuture<>();
		CompletableFuture<String> answer = waitInBackground(future, Duration.ofSeconds(30));
		future.completeExceptionally(new IllegalStateException("broken"));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> answer.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("broken");
	}

	@Test
	void endsTheWaitAtItsDeadlineAndLeavesTheFutureAlone() {
		CompletableFuture<String> future = new CompletableFuture<>();
		long start = System.nanoTime();
		assertThatExceptionOfType(TimeoutException.class)
			.isThrownBy(() -> this.deadlines.await(future, Duration.ofMillis(100)))
			.withMessage("No answer within 100 ms");
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
		assertThat(future).isNotDone();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.deadlines.kept() == 0);
	}

	/**
	 * Many waits from virtual threads, the keeper going idle between rounds: every wait
	 * that gets no answer ends, every one that gets one has it, and nothing is kept
	 * after.
	 */
	@Test
	void keepsEveryDeadlineOfManyWaitsAcrossIdlePeriods() throws Exception {
		try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int round = 0; round < 5; round++) {
				List<CompletableFuture<String>> futures = new ArrayList<>();
				List<Future<String>> waits = new ArrayList<>();
				for (int i = 0; i < 200; i++) {
					CompletableFuture<String> future = new CompletableFuture<>();
					futures.add(future);
					waits.add(threads.submit(() -> {
						try {
							return this.deadlines.await(future, Duration.ofMillis(50));
						}
						catch (TimeoutException ex) {
							return "timed out";
						}
					}));
				}
				for (int i = 0; i < futures.size(); i += 2) {
					futures.get(i).complete("answer " + i);
				}
				for (int i = 0; i < waits.size(); i++) {
					String outcome = waits.get(i).get(10, TimeUnit.SECONDS);
					if (i % 2 == 0) {
						// answered before its deadline, or (on a slow machine) at it
						assertThat(outcome).isIn("answer " + i, "timed out");
					}
					else {
						assertThat(outcome).isEqualTo("timed out");
					}
				}
				await().atMost(Duration.ofSeconds(10)).until(() -> this.deadlines.kept() == 0);
				Thread.sleep(20);
			}
		}
	}

	@Test
	void anInterruptedWaitEndsWithInterruptedException() throws Exception {
		CompletableFuture<String> future = new CompletableFuture<>();
		CompletableFuture<Throwable> thrown = new CompletableFuture<>();
		Thread waiter = Thread.ofVirtual().start(() -> {
			try {
				this.deadlines.await(future, Duration.ofSeconds(30));
				thrown.complete(null);
			}
			catch (Exception ex) {
				thrown.complete(ex);
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> this.deadlines.kept() == 1);
		waiter.interrupt();
		assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
	}

	private CompletableFuture<String> waitInBackground(CompletableFuture<String> future, Duration timeout) {
		CompletableFuture<String> answer = new CompletableFuture<>();
		Thread.ofVirtual().start(() -> {
			try {
				answer.complete(this.deadlines.await(future, timeout));
			}
			catch (Exception ex) {
				answer.completeExceptionally(ex);
			}
		});
		return answer;
	}

}
