package bot.resonance.platform.web;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Stored responses for {@code Idempotency-Key}. A key is claimed before the request runs
 * (so two concurrent attempts cannot both execute), completed with the response
 * afterwards, and released if the request failed in a way worth retrying.
 */
@Component
class IdempotencyStore {

	private final JdbcClient jdbc;

	private final Clock clock;

	private final HttpProperties properties;

	IdempotencyStore(JdbcClient jdbc, Clock clock, HttpProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
	}

	Claim claim(String principal, String key, byte[] fingerprint) {
		OffsetDateTime now = OffsetDateTime.now(this.clock);
		// An expired key is forgotten: the same key may then start a new request.
		this.jdbc
			.sql("delete from idempotency_keys where principal = :principal and key = :key and created_at < :cutoff")
			.param("principal", principal)
			.param("key", key)
			.param("cutoff", now.minus(this.properties.idempotencyKeyRetention()))
			.update();
		int inserted = this.jdbc.sql("""
				insert into idempotency_keys (principal, key, fingerprint, state, locked_until, created_at)
				values (:principal, :key, :fingerprint, 'processing', :lockedUntil, :now)
				on conflict (principal, key) do nothing
				""")
			.param("principal", principal)
			.param("key", key)
			.param("fingerprint", fingerprint)
			.param("lockedUntil", now.plus(this.properties.idempotencyLockTimeout()))
			.param("now", now)
			.update();
		if (inserted == 1) {
			return new Claim.Started();
		}
		Optional<Row> existing = this.jdbc.sql("""
				select fingerprint, state, locked_until, response_status, response_content_type, response_location,
				       response_body
				from idempotency_keys where principal = :principal and key = :key
				""").param("principal", principal).param("key", key).query(Row.class).optional();
		if (existing.isEmpty()) {
			return claim(principal, key, fingerprint); // pruned between the two
														// statements
		}
		Row row = existing.get();
		if (!Arrays.equals(row.fingerprint(), fingerprint)) {
			return new Claim.Mismatch();
		}
		if ("completed".equals(row.state()) && row.responseStatus() != null) {
			return new Claim.Replay(row.responseStatus(), row.responseContentType(), row.responseLocation(),
					(row.responseBody() != null) ? row.responseBody() : new byte[0]);
		}
		if (row.lockedUntil() != null && row.lockedUntil().toInstant().isBefore(now.toInstant())) {
			// The node that claimed it died mid-request; take over.
			int taken = this.jdbc.sql("""
					update idempotency_keys set locked_until = :lockedUntil
					where principal = :principal and key = :key and state = 'processing' and locked_until = :previous
					""")
				.param("lockedUntil", now.plus(this.properties.idempotencyLockTimeout()))
				.param("principal", principal)
				.param("key", key)
				.param("previous", row.lockedUntil())
				.update();
			if (taken == 1) {
				return new Claim.Started();
			}
		}
		return new Claim.InProgress();
	}

	void complete(String principal, String key, int status, @Nullable String contentType, @Nullable String location,
			byte[] body) {
		this.jdbc.sql("""
				update idempotency_keys
				set state = 'completed', locked_until = null, response_status = :status,
				    response_content_type = :contentType, response_location = :location, response_body = :body
				where principal = :principal and key = :key
				""")
			.param("status", status)
			.param("contentType", contentType)
			.param("location", location)
			.param("body", body)
			.param("principal", principal)
			.param("key", key)
			.update();
	}

	void release(String principal, String key) {
		this.jdbc
			.sql("delete from idempotency_keys where principal = :principal and key = :key and state = 'processing'")
			.param("principal", principal)
			.param("key", key)
			.update();
	}

	@Scheduled(fixedDelayString = "${resonance.http.idempotency-prune-interval:10m}", initialDelayString = "1m")
	void prune() {
		Instant cutoff = this.clock.instant().minus(this.properties.idempotencyKeyRetention());
		this.jdbc.sql("delete from idempotency_keys where created_at < :cutoff")
			.param("cutoff", cutoff.atOffset(ZoneOffset.UTC))
			.update();
	}

	record Row(byte[] fingerprint, String state, @Nullable OffsetDateTime lockedUntil, @Nullable Integer responseStatus,
			@Nullable String responseContentType, @Nullable String responseLocation, byte @Nullable [] responseBody) {
	}

	sealed interface Claim {

		record Started() implements Claim {
		}

		record Replay(int status, @Nullable String contentType, @Nullable String location,
				byte[] body) implements Claim {
		}

		record Mismatch() implements Claim {
		}

		record InProgress() implements Claim {
		}

	}

}
