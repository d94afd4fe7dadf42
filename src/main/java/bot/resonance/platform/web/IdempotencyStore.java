package bot.resonance.platform.web;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.Transactions;
import bot.resonance.platform.crypto.Sealing;
import bot.resonance.platform.db.Pruning;
import bot.resonance.platform.jobs.Job;
import bot.resonance.platform.jobs.JobHandler;
import bot.resonance.platform.jobs.JobQueue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Stored responses for {@code Idempotency-Key}. A request's key row is inserted in the
 * transaction that does the request's work and given the response before it commits: the
 * work and the record of it commit together or not at all. A second request with the same
 * key blocks on the first's uncommitted row (PostgreSQL's unique index makes it wait) and
 * then sees the stored response, or takes over if the first rolled back.
 *
 * <p>
 * Response bodies are sealed with a key derived from the credential that sent the
 * request: a response may carry a newly issued API key or signing secret, and only its
 * owner can read it back.
 *
 * <p>
 * Keys older than {@code resonance.http.idempotency-key-retention} are pruned by a
 * recurring job, once every {@code resonance.http.idempotency-prune-interval} across all
 * nodes.
 */
@Component
class IdempotencyStore implements JobHandler {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyStore.class);

	private static final String SEALING_PURPOSE = "resonance-idempotency";

	private final JdbcClient jdbc;

	private final Clock clock;

	private final HttpProperties properties;

	IdempotencyStore(JdbcClient jdbc, Clock clock, HttpProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
	}

	/**
	 * Claims {@code key} in the current transaction, waiting up to
	 * {@code resonance.http.idempotency-wait-timeout} for a request that holds it.
	 * @throws org.springframework.dao.PessimisticLockingFailureException if the other
	 * request is still running when the wait ends
	 */
	Claim claim(Caller caller, String key, byte[] fingerprint) {
		Transactions.requireActive("Claiming an Idempotency-Key");
		OffsetDateTime now = OffsetDateTime.now(this.clock);
		String lockTimeout = setLockTimeout(this.properties.idempotencyWaitTimeout().toMillis() + "ms");
		// An expired key is forgotten: the same key may then start a new request.
		this.jdbc
			.sql("delete from idempotency_keys where principal = :principal and key = :key and created_at < :cutoff")
			.param("principal", caller.principal())
			.param("key", key)
			.param("cutoff", now.minus(this.properties.idempotencyKeyRetention()))
			.update();
		int inserted = this.jdbc.sql("""
				insert into idempotency_keys (principal, key, fingerprint, created_at)
				values (:principal, :key, :fingerprint, :now)
				on conflict (principal, key) do nothing
				""")
			.param("principal", caller.principal())
			.param("key", key)
			.param("fingerprint", fingerprint)
			.param("now", now)
			.update();
		setLockTimeout(lockTimeout); // the request's own work waits as it normally would
		if (inserted == 1) {
			return new Claim.Started();
		}
		Optional<Row> existing = this.jdbc.sql("""
				select fingerprint, response_status, response_content_type, response_location, response_body
				from idempotency_keys where principal = :principal and key = :key
				""").param("principal", caller.principal()).param("key", key).query(Row.class).optional();
		if (existing.isEmpty()) {
			return claim(caller, key, fingerprint); // pruned in between
		}
		Row row = existing.get();
		if (!Arrays.equals(row.fingerprint(), fingerprint)) {
			return new Claim.Mismatch();
		}
		byte[] body;
		try {
			body = (row.responseBody() != null) ? Sealing.open(caller.sealingKey(), row.responseBody()) : new byte[0];
		}
		catch (IllegalArgumentException ex) {
			// Sealed for another credential of the same caller (a rotated API key, a
			// replaced admin token): that answer is its sender's alone.
			return new Claim.OtherCredential();
		}
		return new Claim.Replay((row.responseStatus() != null) ? row.responseStatus() : 200, row.responseContentType(),
				row.responseLocation(), body);
	}

	/**
	 * Sets {@code lock_timeout} for the rest of the transaction, returning the previous.
	 */
	private String setLockTimeout(String value) {
		String previous = this.jdbc.sql("select current_setting('lock_timeout')").query(String.class).single();
		this.jdbc.sql("select set_config('lock_timeout', :value, true)")
			.param("value", value)
			.query(String.class)
			.single();
		return previous;
	}

	/** Gives a claimed key its response, in the request's transaction. */
	void complete(Caller caller, String key, Response response) {
		this.jdbc.sql("""
				update idempotency_keys
				set response_status = :status, response_content_type = :contentType,
				    response_location = :location, response_body = :body
				where principal = :principal and key = :key
				""")
			.param("status", response.status())
			.param("contentType", response.contentType())
			.param("location", response.location())
			.param("body", Sealing.seal(caller.sealingKey(), response.body()))
			.param("principal", caller.principal())
			.param("key", key)
			.update();
	}

	/**
	 * Stores a response for a request whose transaction was rolled back (it was refused
	 * with a client error after starting work), in a transaction of its own.
	 */
	void store(Caller caller, String key, byte[] fingerprint, Response response) {
		this.jdbc.sql("""
				insert into idempotency_keys (principal, key, fingerprint, response_status, response_content_type,
				                              response_location, response_body, created_at)
				values (:principal, :key, :fingerprint, :status, :contentType, :location, :body, :now)
				on conflict (principal, key) do nothing
				""")
			.param("principal", caller.principal())
			.param("key", key)
			.param("fingerprint", fingerprint)
			.param("status", response.status())
			.param("contentType", response.contentType())
			.param("location", response.location())
			.param("body", Sealing.seal(caller.sealingKey(), response.body()))
			.param("now", OffsetDateTime.now(this.clock))
			.update();
	}

	@Override
	public JobQueue queue() {
		return Pruning.queue("idempotency-key-pruning", this.properties.idempotencyPruneInterval());
	}

	/** Forgets keys older than their retention, a slice at a time. */
	@Override
	public void handle(Job job) {
		Instant cutoff = this.clock.instant().minus(this.properties.idempotencyKeyRetention());
		Pruning.run(log, "Idempotency-Keys older than " + this.properties.idempotencyKeyRetention(),
				() -> Pruning.inSlices((slice) -> this.jdbc.sql("""
						delete from idempotency_keys where (principal, key) in (
						    select principal, key from idempotency_keys where created_at < :cutoff limit :slice)
						""").param("cutoff", cutoff.atOffset(ZoneOffset.UTC)).param("slice", slice).update()));
	}

	/**
	 * Who sent a request: {@code principal} (the brand or the operator, whichever of
	 * their credentials was used) scopes its keys; {@code sealingKey}, derived from the
	 * credential itself, which is never stored, seals its responses.
	 */
	record Caller(String principal, byte[] sealingKey) {

		static Caller of(ApiCaller caller) {
			return new Caller(caller.principal(), Sealing.deriveKey(SEALING_PURPOSE, caller.credential()));
		}

	}

	record Response(int status, @Nullable String contentType, @Nullable String location, byte[] body) {
	}

	record Row(byte[] fingerprint, @Nullable Integer responseStatus, @Nullable String responseContentType,
			@Nullable String responseLocation, byte @Nullable [] responseBody) {
	}

	sealed interface Claim {

		record Started() implements Claim {
		}

		record Replay(int status, @Nullable String contentType, @Nullable String location,
				byte[] body) implements Claim {
		}

		record Mismatch() implements Claim {
		}

		/** The key's answer was sealed for another credential of the same caller. */
		record OtherCredential() implements Claim {
		}

	}

}
