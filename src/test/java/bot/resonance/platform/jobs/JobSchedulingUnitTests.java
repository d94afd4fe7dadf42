package bot.resonance.platform.jobs;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The arithmetic of retries and periods, and what a queue or key may be. */
class JobSchedulingUnitTests {

	private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

	private static final Duration HOUR = Duration.ofHours(1);

	@Test
	void theBackoffDoublesWithEveryAttemptUpToTheMaximum() {
		JobsProperties properties = JobsProperties.defaults();
		assertThat(JobRunner.backoff(properties, 1)).isEqualTo(Duration.ofSeconds(30));
		assertThat(JobRunner.backoff(properties, 2)).isEqualTo(Duration.ofMinutes(1));
		assertThat(JobRunner.backoff(properties, 3)).isEqualTo(Duration.ofMinutes(2));
		assertThat(JobRunner.backoff(properties, 7)).isEqualTo(Duration.ofMinutes(32));
		assertThat(JobRunner.backoff(properties, 8)).isEqualTo(HOUR);
		assertThat(JobRunner.backoff(properties, 40)).isEqualTo(HOUR);
		assertThat(JobRunner.backoff(properties, Integer.MAX_VALUE)).isEqualTo(HOUR);
	}

	@Test
	void theNextPeriodIsTheFirstBoundaryAfterNowAndMissedPeriodsAreNotMadeUp() {
		assertThat(JobRunner.nextPeriod(T, T, HOUR)).isEqualTo(T.plus(HOUR));
		assertThat(JobRunner.nextPeriod(T, T.plusSeconds(1), HOUR)).isEqualTo(T.plus(HOUR));
		assertThat(JobRunner.nextPeriod(T, T.plus(HOUR), HOUR)).isEqualTo(T.plus(HOUR.multipliedBy(2)));
		assertThat(JobRunner.nextPeriod(T, T.plus(Duration.ofMinutes(210)), HOUR))
			.isEqualTo(T.plus(HOUR.multipliedBy(4)));
		// Run early (a retry due before its period ended): still one period on.
		assertThat(JobRunner.nextPeriod(T, T.minusSeconds(5), HOUR)).isEqualTo(T.plus(HOUR));
	}

	@Test
	void queueNamesAndKeysAreChecked() {
		assertThat(JobQueue.named("trade-expiry.v2_x").name()).isEqualTo("trade-expiry.v2_x");
		assertThatIllegalArgumentException().isThrownBy(() -> JobQueue.named("Trade"));
		assertThatIllegalArgumentException().isThrownBy(() -> JobQueue.named(""));
		assertThatIllegalArgumentException().isThrownBy(() -> JobQueue.named("a".repeat(64)));
		assertThatIllegalArgumentException().isThrownBy(() -> JobQueue.named("q").withBatchSize(0));
		assertThatIllegalArgumentException().isThrownBy(() -> JobQueue.named("q").recurring(Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> JobKey.of(""));
		assertThatIllegalArgumentException().isThrownBy(() -> JobKey.of("", "k"));
		assertThatIllegalArgumentException().isThrownBy(() -> JobKey.of("k".repeat(JobKey.MAX_KEY_LENGTH + 1)));
	}

	@Test
	void aPayloadIsSmallJsonReadBackAsItsType() {
		String json = JobPayloads.write(new Payload("evt_1", 25L));
		Job job = new Job("q", "brand", "k", T, json, 1, null, null, T);
		assertThat(job.payloadAs(Payload.class)).isEqualTo(new Payload("evt_1", 25L));
		// A field a newer node added is ignored by an older one.
		Job newer = new Job("q", "brand", "k", T, "{\"eventId\":\"evt_1\",\"cap\":25,\"added\":true}", 1, null, null,
				T);
		assertThat(newer.payloadAs(Payload.class)).isEqualTo(new Payload("evt_1", 25L));
		assertThatIllegalArgumentException().isThrownBy(() -> JobPayloads.write("x".repeat(JobPayloads.MAX_LENGTH)));
	}

	record Payload(String eventId, Long cap) {
	}

}
