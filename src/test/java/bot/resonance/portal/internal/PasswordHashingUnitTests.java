package bot.resonance.portal.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Portal passwords are hashed a bounded number at a time, and what cannot be hashed in
 * time is refused as "try again", never as a server error or a failed sign-in.
 */
class PasswordHashingUnitTests {

	@Test
	void noMoreHashesAtOnceThanAllowedAndEveryAnswerIsTheDelegates() throws Exception {
		AtomicInteger running = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		PasswordEncoder counting = new Delegate() {
			@Override
			String hash(@Nullable CharSequence raw) {
				int now = running.incrementAndGet();
				most.accumulateAndGet(now, Math::max);
				try {
					Thread.sleep(2);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				running.decrementAndGet();
				return "hash:" + raw;
			}
		};
		PasswordHashing hashing = new PasswordHashing(counting, 2, Duration.ofMinutes(1), new SimpleMeterRegistry());
		List<Thread> threads = new ArrayList<>();
		AtomicInteger wrong = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		for (int t = 0; t < 12; t++) {
			int thread = t;
			threads.add(Thread.ofPlatform().start(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				for (int i = 0; i < 10; i++) {
					String password = "p" + thread + "-" + i;
					if (!("hash:" + password).equals(hashing.encode(password))
							|| !hashing.matches(password, "hash:" + password) || hashing.matches(password, "other")) {
						wrong.incrementAndGet();
					}
				}
			}));
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(wrong).hasValue(0);
		assertThat(most.get()).isBetween(1, 2);
	}

	@Test
	void aHashThatCannotStartInTimeIsRefusedAsUnavailable() throws Exception {
		Holding holding = new Holding();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		PasswordHashing hashing = new PasswordHashing(holding, 1, Duration.ofMillis(50), meters);
		Thread holder = holding.holdIn(hashing);
		try {
			assertThatThrownBy(() -> hashing.matches("secret", "hash:secret")).isInstanceOf(PasswordHashing.Busy.class)
				.satisfies((ex) -> assertThat(((PasswordHashing.Busy) ex).getStatusCode())
					.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
			assertThatThrownBy(() -> hashing.encode("secret")).isInstanceOf(PasswordHashing.Busy.class);
		}
		finally {
			holding.release.countDown();
			holder.join();
		}
		// Once the hash under way ends, the next one runs.
		assertThat(hashing.matches("secret", "hash:secret")).isTrue();
		assertThat(meters.get("resonance.portal.password.hashes.refused").counter().count()).isEqualTo(2);
		assertThat(meters.get("resonance.portal.password.hash.waits").timer().count()).isEqualTo(2);
	}

	@Test
	void aSignInThatCannotBeCheckedInTimeIsBusyAndNotAFailure() throws Exception {
		PortalUserRepository users = mock(PortalUserRepository.class);
		when(users.findByEmail(anyString())).thenReturn(Optional.empty());
		SignInThrottle throttle = mock(SignInThrottle.class);
		Holding holding = new Holding();
		PasswordHashing hashing = new PasswordHashing(holding, 1, Duration.ZERO, new SimpleMeterRegistry());
		PortalAuthentication authentication = new PortalAuthentication(users, hashing, throttle, Clock.systemUTC());
		UsernamePasswordAuthenticationToken attempt = UsernamePasswordAuthenticationToken
			.unauthenticated("someone@example.com", "a password of theirs");
		Thread holder = holding.holdIn(hashing);
		try {
			assertThatThrownBy(() -> authentication.authenticate(attempt))
				.isInstanceOf(PortalAuthentication.SignInBusyException.class);
			verify(throttle, never()).failed(anyString(), anyString());
		}
		finally {
			holding.release.countDown();
			holder.join();
		}
		// With the hasher free again, the same attempt is an ordinary wrong sign-in.
		assertThatThrownBy(() -> authentication.authenticate(attempt)).isInstanceOf(BadCredentialsException.class);
		verify(throttle).failed(anyString(), anyString());
	}

	@Test
	void halfTheProcessorsAtLeastOne() {
		assertThat(PasswordHashing.defaultConcurrency(1)).isEqualTo(1);
		assertThat(PasswordHashing.defaultConcurrency(2)).isEqualTo(1);
		assertThat(PasswordHashing.defaultConcurrency(8)).isEqualTo(4);
	}

	/** An encoder whose hash is {@code "hash:" + password}. */
	private abstract static class Delegate implements PasswordEncoder {

		abstract String hash(@Nullable CharSequence raw);

		@Override
		public String encode(@Nullable CharSequence rawPassword) {
			return hash(rawPassword);
		}

		@Override
		public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
			return hash(rawPassword).equals(encodedPassword);
		}

	}

	/**
	 * An encoder whose first hash waits until released: it holds its permit meanwhile.
	 */
	private static final class Holding extends Delegate {

		final CountDownLatch holding = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		private final AtomicInteger calls = new AtomicInteger();

		@Override
		String hash(@Nullable CharSequence raw) {
			if (this.calls.getAndIncrement() == 0) {
				this.holding.countDown();
				try {
					this.release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return "hash:" + raw;
		}

		/**
		 * Starts a hash that holds the only permit until {@link #release} is counted
		 * down.
		 */
		Thread holdIn(PasswordHashing hashing) throws InterruptedException {
			Thread holder = Thread.ofPlatform().start(() -> hashing.encode("held"));
			assertThat(this.holding.await(30, TimeUnit.SECONDS)).isTrue();
			return holder;
		}

	}

}
