package bot.resonance.platform.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code jobs} table. */
class JobStore {

	/** The key of a recurring queue's one job. */
	static final String RECURRING_KEY = "recurring";

	private static final String COLUMNS = """
			brand_id, queue, key, due_at, payload::text as payload, attempts, last_error, dead_at, created_at""";

	private static final Comparator<Job> DUE_FIRST = Comparator.comparing(Job::dueAt)
		.thenComparing((job) -> job.jobKey().storedBrandId())
		.thenComparing(Job::key);

	private final JdbcClient jdbc;

	JobStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Inserts a job, or (if {@code replace}, or the job there is dead) replaces the one
	 * with its key; {@code false} if one was kept.
	 */
	boolean schedule(String queue, JobKey key, Instant dueAt, @Nullable String payload, boolean replace, Instant now) {
		return this.jdbc.sql("""
				insert into jobs (brand_id, queue, key, due_at, payload, created_at)
				values (:brand, :queue, :key, :due, cast(:payload as jsonb), :now)
				on conflict (brand_id, queue, key) do update
				set due_at = excluded.due_at, payload = excluded.payload, attempts = 0, claimed_by = null,
				    claimed_until = null, last_error = null, dead_at = null, created_at = excluded.created_at
				where :replace or jobs.dead_at is not null
				""")
			.param("brand", key.storedBrandId())
			.param("queue", queue)
			.param("key", key.key())
			.param("due", utc(dueAt))
			.param("payload", payload)
			.param("now", utc(now))
			.param("replace", replace)
			.update() == 1;
	}

	/**
	 * Inserts many jobs in one statement, replacing (if {@code replace}, or if dead)
	 * those with their keys; returns how many were created or replaced. The keys are
	 * distinct.
	 */
	int scheduleAll(String queue, List<NewJob> jobs, List<@Nullable String> payloads, boolean replace, Instant now) {
		if (jobs.isEmpty()) {
			return 0;
		}
		return this.jdbc.sql("""
				insert into jobs (brand_id, queue, key, due_at, payload, created_at)
				select t.brand_id, :queue, t.key, t.due_at, cast(t.payload as jsonb), :now
				from unnest(:brands::text[], :keys::text[], :dues::timestamptz[], :payloads::text[])
				     as t(brand_id, key, due_at, payload)
				order by t.brand_id, t.key
				on conflict (brand_id, queue, key) do update
				set due_at = excluded.due_at, payload = excluded.payload, attempts = 0, claimed_by = null,
				    claimed_until = null, last_error = null, dead_at = null, created_at = excluded.created_at
				where :replace or jobs.dead_at is not null
				""")
			.param("queue", queue)
			.param("brands", jobs.stream().map((job) -> job.key().storedBrandId()).toArray(String[]::new))
			.param("keys", jobs.stream().map((job) -> job.key().key()).toArray(String[]::new))
			.param("dues", jobs.stream().map((job) -> job.dueAt().toString()).toArray(String[]::new))
			.param("payloads", payloads.toArray(String[]::new))
			.param("now", utc(now))
			.param("replace", replace)
			.update();
	}

	/** Creates a recurring queue's job unless it exists; never postpones it. */
	void scheduleRecurring(String queue, Instant dueAt, Instant now) {
		this.jdbc.sql("""
				insert into jobs (brand_id, queue, key, due_at, created_at)
				values ('', :queue, :key, :due, :now)
				on conflict (brand_id, queue, key) do update
				set due_at = least(jobs.due_at, excluded.due_at)
				where jobs.due_at > excluded.due_at
				""")
			.param("queue", queue)
			.param("key", RECURRING_KEY)
			.param("due", utc(dueAt))
			.param("now", utc(now))
			.update();
	}

	boolean cancel(String queue, JobKey key) {
		return this.jdbc.sql("delete from jobs where brand_id = :brand and queue = :queue and key = :key")
			.param("brand", key.storedBrandId())
			.param("queue", queue)
			.param("key", key.key())
			.update() == 1;
	}

	/**
	 * Deletes the live jobs with these keys (those due by {@code dueBy}, if given),
	 * claimed or not, and returns them.
	 */
	List<Job> take(String queue, Collection<JobKey> keys, @Nullable Instant dueBy) {
		if (keys.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				delete from jobs j
				using unnest(:brands::text[], :keys::text[]) as t(brand_id, key)
				where j.brand_id = t.brand_id and j.queue = :queue and j.key = t.key and j.dead_at is null
				  and j.due_at <= coalesce(:dueBy, 'infinity'::timestamptz)
				returning j.brand_id, j.queue, j.key, j.due_at, j.payload::text as payload, j.attempts, j.last_error,
				          j.dead_at, j.created_at
				""")
			.param("brands", keys.stream().map(JobKey::storedBrandId).toArray(String[]::new))
			.param("keys", keys.stream().map(JobKey::key).toArray(String[]::new))
			.param("queue", queue)
			.param("dueBy", (dueBy != null) ? utc(dueBy) : null, Types.TIMESTAMP_WITH_TIMEZONE)
			.query(JobStore::job)
			.list()
			.stream()
			.sorted(DUE_FIRST)
			.toList();
	}

	Optional<Job> find(String queue, JobKey key) {
		return this.jdbc
			.sql("select " + COLUMNS + " from jobs where brand_id = :brand and queue = :queue and key = :key")
			.param("brand", key.storedBrandId())
			.param("queue", queue)
			.param("key", key.key())
			.query(JobStore::job)
			.optional();
	}

	/**
	 * Claims up to {@code limit} live jobs of the queue that are due and not held by a
	 * claim that is still running, oldest due first: they are held by {@code claim} until
	 * {@code until}, and their attempts count one more. Jobs another transaction has
	 * locked are skipped.
	 */
	List<Job> claim(String queue, String claim, Instant now, Instant until, int limit) {
		return this.jdbc.sql("""
				update jobs j set claimed_by = :claim, claimed_until = :until, attempts = j.attempts + 1
				from (
				    select brand_id, queue, key from jobs
				    where queue = :queue and dead_at is null and due_at <= :now
				      and (claimed_until is null or claimed_until <= :now)
				    order by due_at
				    limit :limit
				    for update skip locked
				) due
				where j.brand_id = due.brand_id and j.queue = due.queue and j.key = due.key
				returning j.brand_id, j.queue, j.key, j.due_at, j.payload::text as payload, j.attempts, j.last_error,
				          j.dead_at, j.created_at
				""")
			.param("queue", queue)
			.param("claim", claim)
			.param("now", utc(now))
			.param("until", utc(until))
			.param("limit", limit)
			.query(JobStore::job)
			.list()
			.stream()
			.sorted(DUE_FIRST)
			.toList();
	}

	/**
	 * Locks, until the current transaction ends, those of these jobs that {@code claim}
	 * still holds, and returns them: a job taken over after the claim lapsed, taken off
	 * the queue, cancelled or replaced meanwhile is left out. While locked, no other node
	 * can claim them, whether the claim lapses or not.
	 */
	List<Job> lockClaimed(String queue, String claim, Collection<Job> jobs) {
		return this.jdbc.sql("""
				select j.brand_id, j.queue, j.key, j.due_at, j.payload::text as payload, j.attempts, j.last_error,
				       j.dead_at, j.created_at
				from jobs j join unnest(:brands::text[], :keys::text[]) as t(brand_id, key)
				  on j.brand_id = t.brand_id and j.queue = :queue and j.key = t.key
				where j.claimed_by = :claim
				order by j.brand_id, j.key
				for update of j
				""")
			.param("brands", brands(jobs))
			.param("keys", keys(jobs))
			.param("queue", queue)
			.param("claim", claim)
			.query(JobStore::job)
			.list()
			.stream()
			.sorted(DUE_FIRST)
			.toList();
	}

	/** Deletes those of these jobs that {@code claim} still holds. */
	int complete(String queue, String claim, Collection<Job> jobs) {
		return this.jdbc.sql("""
				delete from jobs j
				using unnest(:brands::text[], :keys::text[]) as t(brand_id, key)
				where j.brand_id = t.brand_id and j.queue = :queue and j.key = t.key and j.claimed_by = :claim
				""")
			.param("brands", brands(jobs))
			.param("keys", keys(jobs))
			.param("queue", queue)
			.param("claim", claim)
			.update();
	}

	/**
	 * Makes a job {@code claim} still holds due at {@code dueAt}, unclaimed, from its
	 * first attempt (a recurring job's next period); keeps {@code error} as its last.
	 */
	boolean reschedule(String queue, String claim, Job job, Instant dueAt, @Nullable String error) {
		return releaseClaimed(queue, claim, job, "due_at = :at, attempts = 0", dueAt, error);
	}

	/** Releases a job {@code claim} still holds, to be tried again at {@code retryAt}. */
	boolean retry(String queue, String claim, Job job, Instant retryAt, String error) {
		return releaseClaimed(queue, claim, job, "due_at = :at", retryAt, error);
	}

	/**
	 * Deletes up to {@code limit} jobs that died before {@code cutoff}; returns how many.
	 */
	int pruneDead(Instant cutoff, int limit) {
		return this.jdbc.sql("""
				delete from jobs where ctid = any(array(
				    select ctid from jobs where dead_at < :cutoff limit :limit))
				  and dead_at < :cutoff
				""").param("cutoff", cutoff.atOffset(ZoneOffset.UTC)).param("limit", limit).update();
	}

	/** Gives up a job {@code claim} still holds: it stays, dead, for inspection. */
	boolean bury(String queue, String claim, Job job, Instant now, String error) {
		return releaseClaimed(queue, claim, job, "dead_at = :at", now, error);
	}

	/**
	 * Releases a job {@code claim} still holds, setting what {@code assignments} say
	 * ({@code :at} is {@code at}) and its last error; false if the claim was lost.
	 */
	private boolean releaseClaimed(String queue, String claim, Job job, String assignments, Instant at,
			@Nullable String error) {
		return this.jdbc.sql("update jobs set " + assignments + """
				, claimed_by = null, claimed_until = null, last_error = :error
				where brand_id = :brand and queue = :queue and key = :key and claimed_by = :claim
				""")
			.param("at", utc(at))
			.param("error", error)
			.param("brand", job.jobKey().storedBrandId())
			.param("queue", queue)
			.param("key", job.key())
			.param("claim", claim)
			.update() == 1;
	}

	private static String[] brands(Collection<Job> jobs) {
		return jobs.stream().map((job) -> job.jobKey().storedBrandId()).toArray(String[]::new);
	}

	private static String[] keys(Collection<Job> jobs) {
		return jobs.stream().map(Job::key).toArray(String[]::new);
	}

	private static Job job(ResultSet rs, int row) throws SQLException {
		String brandId = rs.getString("brand_id");
		OffsetDateTime deadAt = rs.getObject("dead_at", OffsetDateTime.class);
		return new Job(rs.getString("queue"), brandId.isEmpty() ? null : brandId, rs.getString("key"),
				rs.getObject("due_at", OffsetDateTime.class).toInstant(), rs.getString("payload"),
				rs.getInt("attempts"), rs.getString("last_error"), (deadAt != null) ? deadAt.toInstant() : null,
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

	static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
