package bot.resonance.incoming.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.Transactions;
import bot.resonance.platform.crypto.SealedSecrets;
import bot.resonance.platform.crypto.SecretSealer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Incoming webhooks, their rate limit buckets and their call log. Hooks' secrets are HMAC
 * keys, kept readable but sealed when a sealing key is set.
 */
@Component
public class IncomingWebhookRepository implements SealedSecrets {

	private static final String SECRET_PURPOSE = "incoming webhook secret";

	private static final String COLUMNS = """
			brand_id, id, name, secret, previous_secret, previous_secret_expires_at, actions, rate_limit_per_minute,
			currency, enabled, legacy_signatures, created_at, updated_at""";

	private static final String CALL_COLUMNS = """
			brand_id, hook_id, id, action, outcome, status, error_code, response, idempotency_key, holds_key,
			request_hash, received_at, webhook_id, webhook_timestamp""";

	private final JdbcClient jdbc;

	private final SecretSealer sealer;

	IncomingWebhookRepository(JdbcClient jdbc, SecretSealer sealer) {
		this.jdbc = jdbc;
		this.sealer = sealer;
	}

	@Override
	public int reseal(SecretSealer sealer) {
		return sealer.reseal(this.jdbc, "incoming_webhooks", "secret", SECRET_PURPOSE)
				+ sealer.reseal(this.jdbc, "incoming_webhooks", "previous_secret", SECRET_PURPOSE);
	}

	void insert(IncomingWebhook hook) {
		this.jdbc.sql("""
				insert into incoming_webhooks (%s)
				values (:brand, :id, :name, :secret, null, null, :actions::text[], :rateLimit, :currency, :enabled,
				        :legacySignatures, :createdAt, :updatedAt)
				""".formatted(COLUMNS))
			.param("brand", hook.brandId())
			.param("id", hook.id())
			.param("name", hook.name())
			.param("secret", this.sealer.seal(SECRET_PURPOSE, hook.secret()))
			.param("actions", hook.actions().toArray(String[]::new))
			.param("rateLimit", hook.rateLimitPerMinute())
			.param("currency", hook.currency())
			.param("enabled", hook.enabled())
			.param("legacySignatures", hook.legacySignatures())
			.param("createdAt", utc(hook.createdAt()))
			.param("updatedAt", utc(hook.updatedAt()))
			.update();
	}

	/** Saves a hook's settings and secrets (its rate limit bucket is left alone). */
	void update(IncomingWebhook hook) {
		this.jdbc.sql("""
				update incoming_webhooks
				set name = :name, secret = :secret, previous_secret = :previousSecret,
				    previous_secret_expires_at = :previousExpiresAt, actions = :actions::text[],
				    rate_limit_per_minute = :rateLimit, currency = :currency, enabled = :enabled,
				    legacy_signatures = :legacySignatures, updated_at = :updatedAt
				where brand_id = :brand and id = :id
				""")
			.param("brand", hook.brandId())
			.param("id", hook.id())
			.param("name", hook.name())
			.param("secret", this.sealer.seal(SECRET_PURPOSE, hook.secret()))
			.param("previousSecret",
					(hook.previousSecret() != null) ? this.sealer.seal(SECRET_PURPOSE, hook.previousSecret()) : null)
			.param("previousExpiresAt",
					(hook.previousSecretExpiresAt() != null) ? utc(hook.previousSecretExpiresAt()) : null)
			.param("actions", hook.actions().toArray(String[]::new))
			.param("rateLimit", hook.rateLimitPerMinute())
			.param("currency", hook.currency())
			.param("enabled", hook.enabled())
			.param("legacySignatures", hook.legacySignatures())
			.param("updatedAt", utc(hook.updatedAt()))
			.update();
	}

	Optional<IncomingWebhook> find(String brandId, UUID id, boolean lock) {
		return this.jdbc
			.sql("select " + COLUMNS + " from incoming_webhooks where brand_id = :brand and id = :id"
					+ (lock ? " for update" : ""))
			.param("brand", brandId)
			.param("id", id)
			.query(this::hook)
			.optional();
	}

	/** A brand's hooks, oldest first, after {@code startingAfter} if given. */
	List<IncomingWebhook> list(String brandId, @Nullable UUID startingAfter, int limit) {
		return this.jdbc.sql("""
				select %s from incoming_webhooks
				where brand_id = :brand
				  and (:after::uuid is null
				       or (created_at, id) > (select created_at, id from incoming_webhooks
				                              where brand_id = :brand and id = :after::uuid))
				order by created_at, id
				limit :limit
				""".formatted(COLUMNS))
			.param("brand", brandId)
			.param("after", startingAfter)
			.param("limit", limit)
			.query(this::hook)
			.list();
	}

	/** Deletes a hook and its call log. */
	void delete(String brandId, UUID id) {
		this.jdbc.sql("delete from incoming_webhook_calls where brand_id = :brand and hook_id = :id")
			.param("brand", brandId)
			.param("id", id)
			.update();
		this.jdbc.sql("delete from incoming_webhooks where brand_id = :brand and id = :id")
			.param("brand", brandId)
			.param("id", id)
			.update();
	}

	/**
	 * Takes a token from the hook's bucket at {@code now}, atomically on whichever node
	 * asks: the bucket holds up to the hook's per-minute limit and refills at that rate.
	 * @return empty if a token was taken, otherwise how long until the next one
	 */
	Optional<Duration> takeToken(String brandId, UUID id, Instant now) {
		return this.jdbc
			.sql("""
					with bucket as (
					    select brand_id, id, rate_limit_per_minute as lim,
					           case when tokens is null or tokens_updated_at is null then rate_limit_per_minute::float8
					                else least(rate_limit_per_minute::float8,
					                           tokens + greatest(0, extract(epoch from (:now::timestamptz - tokens_updated_at)))::float8
					                                    * rate_limit_per_minute / 60.0)
					           end as available
					    from incoming_webhooks where brand_id = :brand and id = :id
					    for update
					)
					update incoming_webhooks h
					set tokens = case when b.available >= 1 then b.available - 1 else b.available end,
					    tokens_updated_at = greatest(coalesce(h.tokens_updated_at, :now::timestamptz), :now::timestamptz)
					from bucket b
					where h.brand_id = b.brand_id and h.id = b.id
					returning b.available, b.lim
					""")
			.param("brand", brandId)
			.param("id", id)
			.param("now", utc(now))
			.query((rs, row) -> {
				double available = rs.getDouble("available");
				int limit = rs.getInt("lim");
				if (available >= 1) {
					return Optional.<Duration>empty();
				}
				// The epsilon absorbs floating-point dust (10.0000001 seconds is 10
				// seconds).
				long seconds = Math.max(1, (long) Math.ceil((1 - available) * 60 / limit - 1e-9));
				return Optional.of(Duration.ofSeconds(seconds));
			})
			.optional()
			.orElse(Optional.empty());
	}

	void insertCall(CallRecord call) {
		this.jdbc.sql("""
				insert into incoming_webhook_calls (%s)
				values (:brand, :hook, :id, :action, :outcome, :status, :errorCode, :response, :key, :holdsKey,
				        :hash, :receivedAt, :webhookId, :webhookTimestamp)
				""".formatted(CALL_COLUMNS))
			.param("brand", call.brandId())
			.param("hook", call.hookId())
			.param("id", call.id())
			.param("action", call.action())
			.param("outcome", call.outcome())
			.param("status", call.status())
			.param("errorCode", call.errorCode())
			.param("response", call.response())
			.param("key", call.idempotencyKey())
			.param("holdsKey", call.holdsKey())
			.param("hash", call.requestHash())
			.param("receivedAt", utc(call.receivedAt()))
			.param("webhookId", call.webhookId())
			.param("webhookTimestamp", (call.webhookTimestamp() != null) ? utc(call.webhookTimestamp()) : null)
			.update();
	}

	/**
	 * Claims a call's webhook-id and idempotency key (whichever it has) in the current
	 * transaction by inserting the call as their holder. If another transaction holds
	 * either uncommitted, waits for it (up to {@code wait}) and then claims only if that
	 * one rolled back or gave them up.
	 * @return whether this call now holds them
	 * @throws org.springframework.dao.PessimisticLockingFailureException if the other
	 * call is still running when the wait ends (the transaction is then unusable)
	 */
	boolean claim(CallRecord call, Duration wait) {
		Transactions.requireActive("Claiming a webhook-id or X-Idempotency-Key");
		String previous = setLockTimeout(wait.toMillis() + "ms");
		// No conflict target: a conflict on either unique index (or both) is a repeat.
		int inserted = this.jdbc.sql("""
				insert into incoming_webhook_calls (%s)
				values (:brand, :hook, :id, :action, 'processing', 0, null, '', :key, true, :hash, :receivedAt,
				        :webhookId, :webhookTimestamp)
				on conflict do nothing
				""".formatted(CALL_COLUMNS))
			.param("brand", call.brandId())
			.param("hook", call.hookId())
			.param("id", call.id())
			.param("action", call.action())
			.param("key", call.idempotencyKey())
			.param("hash", call.requestHash())
			.param("receivedAt", utc(call.receivedAt()))
			.param("webhookId", call.webhookId())
			.param("webhookTimestamp", (call.webhookTimestamp() != null) ? utc(call.webhookTimestamp()) : null)
			.update();
		setLockTimeout(previous);
		return inserted == 1;
	}

	/** The call holding a webhook-id, if any. */
	Optional<CallRecord> webhookIdHolder(String brandId, UUID hookId, String webhookId) {
		return this.jdbc.sql("""
				select %s from incoming_webhook_calls
				where brand_id = :brand and hook_id = :hook and webhook_id = :webhookId and holds_key
				""".formatted(CALL_COLUMNS))
			.param("brand", brandId)
			.param("hook", hookId)
			.param("webhookId", webhookId)
			.query(IncomingWebhookRepository::call)
			.optional();
	}

	/** The call holding an idempotency key, if any. */
	Optional<CallRecord> keyHolder(String brandId, UUID hookId, String key) {
		return this.jdbc.sql("""
				select %s from incoming_webhook_calls
				where brand_id = :brand and hook_id = :hook and idempotency_key = :key and holds_key
				""".formatted(CALL_COLUMNS))
			.param("brand", brandId)
			.param("hook", hookId)
			.param("key", key)
			.query(IncomingWebhookRepository::call)
			.optional();
	}

	/** Records the answer of a call that claimed its idempotency key. */
	void completeCall(CallRecord call) {
		this.jdbc.sql("""
				update incoming_webhook_calls
				set outcome = :outcome, status = :status, error_code = :errorCode, response = :response,
				    holds_key = :holdsKey
				where brand_id = :brand and hook_id = :hook and id = :id
				""")
			.param("outcome", call.outcome())
			.param("status", call.status())
			.param("errorCode", call.errorCode())
			.param("response", call.response())
			.param("holdsKey", call.holdsKey())
			.param("brand", call.brandId())
			.param("hook", call.hookId())
			.param("id", call.id())
			.update();
	}

	/** A hook's calls, newest first, before {@code startingAfter} if given. */
	List<CallRecord> calls(String brandId, UUID hookId, @Nullable String outcome, @Nullable String startingAfter,
			int limit) {
		return this.jdbc.sql("""
				select %s from incoming_webhook_calls
				where brand_id = :brand and hook_id = :hook
				  and (:outcome::text is null or outcome = :outcome::text)
				  and (:after::text is null or id < :after::text)
				order by id desc
				limit :limit
				""".formatted(CALL_COLUMNS))
			.param("brand", brandId)
			.param("hook", hookId)
			.param("outcome", outcome)
			.param("after", startingAfter)
			.param("limit", limit)
			.query(IncomingWebhookRepository::call)
			.list();
	}

	/**
	 * Deletes up to {@code slice} calls received before {@code cutoff}, except those that
	 * hold a webhook-id signed at or after {@code webhookIdCutoff}: a copy of such a call
	 * could still pass the timestamp check, so its id must still be known.
	 */
	int pruneCalls(Instant cutoff, Instant webhookIdCutoff, int slice) {
		return this.jdbc.sql("""
				delete from incoming_webhook_calls c
				where (c.brand_id, c.hook_id, c.id) in (
				    select brand_id, hook_id, id from incoming_webhook_calls
				    where received_at < :cutoff
				      and (not holds_key or webhook_timestamp is null or webhook_timestamp < :webhookIdCutoff)
				    limit :slice)
				""")
			.param("cutoff", utc(cutoff))
			.param("webhookIdCutoff", utc(webhookIdCutoff))
			.param("slice", slice)
			.update();
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

	private IncomingWebhook hook(ResultSet rs, int row) throws SQLException {
		Array actions = rs.getArray("actions");
		String previous = rs.getString("previous_secret");
		return new IncomingWebhook(rs.getString("brand_id"), rs.getObject("id", UUID.class), rs.getString("name"),
				this.sealer.open(SECRET_PURPOSE, rs.getString("secret")),
				(previous != null) ? this.sealer.open(SECRET_PURPOSE, previous) : null,
				instant(rs, "previous_secret_expires_at"), List.copyOf(Arrays.asList((String[]) actions.getArray())),
				rs.getInt("rate_limit_per_minute"), rs.getString("currency"), rs.getBoolean("enabled"),
				rs.getBoolean("legacy_signatures"), instant(rs, "created_at"), instant(rs, "updated_at"));
	}

	private static CallRecord call(ResultSet rs, int row) throws SQLException {
		return new CallRecord(rs.getString("brand_id"), rs.getObject("hook_id", UUID.class), rs.getString("id"),
				rs.getString("action"), rs.getString("outcome"), rs.getInt("status"), rs.getString("error_code"),
				rs.getString("response"), rs.getString("idempotency_key"), rs.getBoolean("holds_key"),
				rs.getBytes("request_hash"), instant(rs, "received_at"), rs.getString("webhook_id"),
				instant(rs, "webhook_timestamp"));
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/**
	 * One call to an incoming webhook and its answer.
	 *
	 * @param outcome {@code succeeded}, {@code rejected} (4xx), {@code failed} (5xx) or
	 * {@code replayed} (an idempotent repeat)
	 * @param response the JSON body answered
	 * @param holdsKey whether later calls with the same idempotency key or webhook-id get
	 * this answer
	 * @param requestHash SHA-256 of the body, to tell a repeat from a different request
	 * @param webhookId the signed {@code webhook-id} of a Standard Webhooks call
	 * @param webhookTimestamp its signed {@code webhook-timestamp}
	 */
	public record CallRecord(String brandId, UUID hookId, String id, @Nullable String action, String outcome,
			int status, @Nullable String errorCode, String response, @Nullable String idempotencyKey, boolean holdsKey,
			byte @Nullable [] requestHash, Instant receivedAt, @Nullable String webhookId,
			@Nullable Instant webhookTimestamp) {
	}

}
