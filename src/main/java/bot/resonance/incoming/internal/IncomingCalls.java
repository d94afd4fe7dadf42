package bot.resonance.incoming.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.brands.BrandIds;
import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.ids.IdGenerator;
import bot.resonance.incoming.internal.IncomingWebhookRepository.CallRecord;
import bot.resonance.platform.logging.Failures;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Serves a call to an incoming webhook, checking in this order: the hook exists
 * ({@code 404}, not logged), the signature and its timestamp ({@code 401}, see
 * {@link CallSignatures}), the hook is enabled ({@code 403}), the rate limit
 * ({@code 429}), the body and the action ({@code 400}), that a Discord action stays in
 * the brand's own servers ({@code 403}, see {@link DiscordActions}); then acts. Every
 * call to an existing hook is logged with its answer, except calls refused for a bad
 * signature beyond {@code resonance.incoming-webhooks.refused-signature-log-per-minute}.
 *
 * <p>
 * A call claims its {@code webhook-id} (every Standard Webhooks call has one) and its
 * {@code X-Idempotency-Key}, if sent, in the transaction that acts: its row in the call
 * log, under a unique index for each. A concurrent duplicate of either waits for it and
 * then replays its answer; a repeat with a different body is refused {@code 422}. The id
 * is signed, so a copy of a call never acts twice, whatever key a replayer gives it; the
 * key, which is not signed, keeps a sender that signs each retry as a new message from
 * acting twice. An answer worth retrying ({@code 5xx}, {@code 409}, {@code 429}) gives
 * both up, so the same message can be retried. Calls refused before acting claim nothing.
 *
 * <p>
 * {@code currency.add} moves money and logs the call in one transaction. A Discord action
 * that claims keeps its claim's transaction open while Discord answers (bounded by the
 * {@code resonance.discord} timeouts and rate limit wait); a legacy call without a key
 * claims nothing and holds no database connection while it waits for Discord.
 */
@Service
class IncomingCalls {

	private static final Logger log = LoggerFactory.getLogger(IncomingCalls.class);

	private final IncomingWebhookRepository repository;

	private final IncomingCallParser parser;

	private final CurrencyAddAction currency;

	private final DiscordActions discord;

	private final CallResults results;

	private final TransactionTemplate transactions;

	private final IncomingWebhookProperties properties;

	private final IdGenerator ids;

	private final Clock clock;

	private final RefusalLogLimiter refusalLog;

	IncomingCalls(IncomingWebhookRepository repository, IncomingCallParser parser, CurrencyAddAction currency,
			DiscordActions discord, CallResults results, PlatformTransactionManager transactions,
			IncomingWebhookProperties properties, IdGenerator ids, Clock clock) {
		this.repository = repository;
		this.parser = parser;
		this.currency = currency;
		this.discord = discord;
		this.results = results;
		this.transactions = new TransactionTemplate(transactions);
		this.properties = properties;
		this.ids = ids;
		this.clock = clock;
		this.refusalLog = new RefusalLogLimiter(properties.refusedSignatureLogPerMinute());
	}

	/** The hook a receiver URL names, if it exists. */
	Optional<IncomingWebhook> find(String brandId, String hookId) {
		Optional<String> brand = BrandIds.canonical(brandId);
		if (brand.isEmpty()) {
			return Optional.empty();
		}
		UUID id;
		try {
			id = UUID.fromString(hookId);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		return this.repository.find(brand.get(), id, false);
	}

	CallResult notFound() {
		return this.results.problem(HttpStatus.NOT_FOUND, "incoming_webhook_not_found",
				"No incoming webhook at this URL. Copy the url shown by POST /v1/incoming-webhooks.", null, null);
	}

	/** Answers (and logs) a call whose body was larger than allowed. */
	CallResult tooLarge(IncomingWebhook hook, @Nullable String idempotencyKey) {
		CallResult result = this.results.problem(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
				"The body is larger than " + this.properties.maxBodySize().toBytes() + " bytes.", newCallId(), null);
		return logged(hook, null, result, Claim.of(readableKey(idempotencyKey)), null, this.clock.instant());
	}

	/** Serves a call to {@code hook} with its raw body and headers. */
	CallResult receive(IncomingWebhook hook, byte[] body, CallSignatures.Headers signature,
			@Nullable String idempotencyKeyHeader) {
		Instant receivedAt = this.clock.instant();
		String callId = newCallId();
		String key = readableKey(idempotencyKeyHeader);
		byte[] hash = Hashing.sha256(body);

		CallSignatures.Verdict verdict = CallSignatures.check(hook, signature, body, receivedAt,
				this.properties.signatureTolerance());
		if (verdict instanceof CallSignatures.Verdict.Refused refusal) {
			CallResult refused = this.results.problem(HttpStatus.UNAUTHORIZED, "invalid_signature", refusal.detail(),
					callId, null,
					(refusal.serverTime() != null) ? Map.of("server_time", refusal.serverTime()) : Map.of(), null);
			return this.refusalLog.admit(hook.id().toString(), receivedAt)
					? logged(hook, null, refused, Claim.of(key), hash, receivedAt) : refused;
		}
		Claim claim = (verdict instanceof CallSignatures.Verdict.Standard standard)
				? new Claim(key, standard.webhookId(), standard.timestamp()) : Claim.of(key);
		if (!hook.enabled()) {
			return logged(hook, null, this.results.problem(HttpStatus.FORBIDDEN, "incoming_webhook_disabled",
					"This incoming webhook is disabled. Enable it with PATCH /v1/incoming-webhooks/" + hook.id() + ".",
					callId, null), claim, hash, receivedAt);
		}
		if (idempotencyKeyHeader != null && key == null) {
			return logged(hook, null, this.results.problem(HttpStatus.BAD_REQUEST, "invalid_request",
					"X-Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.", callId, null),
					claim, hash, receivedAt);
		}
		Optional<Duration> wait = this.repository.takeToken(hook.brandId(), hook.id(), receivedAt);
		if (wait.isPresent()) {
			long seconds = wait.get().toSeconds();
			return logged(hook, null,
					this.results.problem(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
							"This incoming webhook accepts " + hook.rateLimitPerMinute()
									+ " calls per minute. Retry in " + seconds + " seconds.",
							callId, null, Map.of(), seconds),
					claim, hash, receivedAt);
		}

		IncomingCall call;
		String currencyCode = null;
		IncomingAction action = null;
		try {
			IncomingCallParser.Envelope envelope = this.parser.envelope(body);
			action = envelope.action();
			if (!hook.allows(action)) {
				return logged(hook, action,
						this.results.problem(HttpStatus.BAD_REQUEST, "action_not_allowed",
								"This incoming webhook does not allow " + action.wireName() + "; it allows "
										+ String.join(", ", hook.actions()) + ".",
								callId, action),
						claim, hash, receivedAt);
			}
			call = this.parser.call(envelope);
			if (call instanceof IncomingCall.CurrencyAdd add) {
				currencyCode = this.currency.currency(hook, add);
			}
		}
		catch (IncomingCallParser.Refusal ex) {
			IncomingAction named = (ex.action() != null) ? ex.action() : action;
			return logged(hook, named, this.results.problem(HttpStatus.BAD_REQUEST, ex.code(),
					String.valueOf(ex.getMessage()), callId, named), claim, hash, receivedAt);
		}
		CallResult outside = this.discord.refuseOutsideBrand(hook, callId, call);
		if (outside != null) {
			return logged(hook, call.action(), outside, claim, hash, receivedAt);
		}
		return act(hook, callId, call, currencyCode, claim, hash, receivedAt);
	}

	private CallResult act(IncomingWebhook hook, String callId, IncomingCall call, @Nullable String currencyCode,
			Claim claim, byte[] hash, Instant receivedAt) {
		String action = call.action().wireName();
		if (!claim.claims() && !(call instanceof IncomingCall.CurrencyAdd)) {
			// Nothing to claim and nothing to write with it: Discord is called without
			// holding a database connection, and the answer logged after.
			CallResult answer;
			try {
				answer = perform(hook, callId, call, currencyCode, claim);
			}
			catch (RuntimeException ex) {
				log.error("Incoming webhook call {} ({}) to hook {} of brand {} failed", callId, action, hook.id(),
						hook.brandId(), ex);
				return failed(hook, callId, call, claim, hash, receivedAt);
			}
			return logged(hook, call.action(), answer, claim, hash, receivedAt);
		}
		try {
			CallResult result = this.transactions.execute((status) -> {
				if (claim.claims()) {
					boolean claimed;
					try {
						claimed = this.repository.claim(
								record(hook, callId, action, "processing", 0, null, "", claim, true, hash, receivedAt),
								this.properties.idempotencyWaitTimeout());
					}
					catch (PessimisticLockingFailureException ex) {
						throw new ClaimInUse(ex);
					}
					if (!claimed) {
						return answerRepeat(hook, callId, call, claim, hash, receivedAt);
					}
				}
				CallResult answer = perform(hook, callId, call, currencyCode, claim);
				CallRecord record = record(hook, callId, action, answer.outcome(), answer.status(), answer.errorCode(),
						answer.body(), claim, claim.claims() && answer.isFinal(), hash, receivedAt);
				if (claim.claims()) {
					this.repository.completeCall(record);
				}
				else {
					this.repository.insertCall(record);
				}
				return answer;
			});
			return (result != null) ? result : failed(hook, callId, call, claim, hash, receivedAt);
		}
		catch (ClaimInUse ex) {
			return logged(hook, call.action(),
					this.results.problem(HttpStatus.CONFLICT, "idempotency_key_in_use",
							"A call with this " + claim.names() + " is still being processed. Retry shortly.", callId,
							call.action()),
					claim, hash, receivedAt);
		}
		catch (RuntimeException ex) {
			log.error("Incoming webhook call {} ({}) to hook {} of brand {} failed", callId, action, hook.id(),
					hook.brandId(), ex);
			return failed(hook, callId, call, claim, hash, receivedAt);
		}
	}

	private CallResult perform(IncomingWebhook hook, String callId, IncomingCall call, @Nullable String currencyCode,
			Claim claim) {
		return switch (call) {
			case IncomingCall.CurrencyAdd add ->
				this.currency.apply(hook, callId, add, Objects.requireNonNull(currencyCode), this.clock.instant());
			case IncomingCall.RoleAssign assign -> this.discord.assignRole(hook, callId, assign);
			case IncomingCall.MessagePost post -> this.discord.postMessage(hook, callId, post, claim.nonceSource());
		};
	}

	/**
	 * A call whose webhook-id or key another call holds: that call's answer again if the
	 * body is the same, otherwise a {@code 422}. Logged either way. The id, being signed,
	 * is asked first.
	 */
	private CallResult answerRepeat(IncomingWebhook hook, String callId, IncomingCall call, Claim claim, byte[] hash,
			Instant receivedAt) {
		CallRecord holder = null;
		boolean byWebhookId = false;
		if (claim.webhookId() != null) {
			holder = this.repository.webhookIdHolder(hook.brandId(), hook.id(), claim.webhookId()).orElse(null);
			byWebhookId = holder != null;
		}
		if (holder == null && claim.idempotencyKey() != null) {
			holder = this.repository.keyHolder(hook.brandId(), hook.id(), claim.idempotencyKey()).orElse(null);
		}
		CallResult answer;
		if (holder == null) {
			// Pruned or given up in the instant between the two statements: nothing to
			// replay.
			answer = this.results.problem(HttpStatus.CONFLICT, "idempotency_key_in_use",
					"A call with this " + claim.names() + " just finished. Retry shortly.", callId, call.action());
		}
		else if (holder.requestHash() == null || !Arrays.equals(holder.requestHash(), hash)) {
			answer = byWebhookId ? this.results.problem(HttpStatus.UNPROCESSABLE_CONTENT, "webhook_id_reused",
					"This webhook-id was already used with a different body (call " + holder.id()
							+ "). Give each message its own webhook-id.",
					callId, call.action())
					: this.results.problem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused",
							"This X-Idempotency-Key was already used with a different body (call " + holder.id()
									+ "). Use a new key for a new call.",
							callId, call.action());
		}
		else {
			answer = new CallResult(callId, holder.status(), holder.errorCode(), holder.response(), null, true);
		}
		this.repository.insertCall(record(hook, callId, call.action().wireName(), answer.outcome(), answer.status(),
				answer.errorCode(), answer.body(), claim, false, hash, receivedAt));
		return answer;
	}

	private CallResult failed(IncomingWebhook hook, String callId, IncomingCall call, Claim claim, byte[] hash,
			Instant receivedAt) {
		return logged(hook, call.action(),
				this.results.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
						"An internal error occurred. It has been logged; retry later (with the same webhook-id or "
								+ "X-Idempotency-Key it cannot act twice).",
						callId, call.action()),
				claim, hash, receivedAt);
	}

	/** Logs a call that holds nothing, in a statement of its own. */
	private CallResult logged(IncomingWebhook hook, @Nullable IncomingAction action, CallResult result, Claim claim,
			byte @Nullable [] hash, Instant receivedAt) {
		String callId = (result.callId() != null) ? result.callId() : newCallId();
		try {
			this.repository
				.insertCall(record(hook, callId, (action != null) ? action.wireName() : null, result.outcome(),
						result.status(), result.errorCode(), result.body(), claim, false, hash, receivedAt));
		}
		catch (RuntimeException ex) {
			Failures.warn(log, ex, "Could not log call {} to incoming webhook {}", callId, hook.id());
		}
		return result;
	}

	private static CallRecord record(IncomingWebhook hook, String callId, @Nullable String action, String outcome,
			int status, @Nullable String errorCode, String response, Claim claim, boolean holds, byte @Nullable [] hash,
			Instant receivedAt) {
		return new CallRecord(hook.brandId(), hook.id(), callId, action, outcome, status, errorCode, response,
				claim.idempotencyKey(), holds, hash, receivedAt, claim.webhookId(), claim.webhookTimestamp());
	}

	private String newCallId() {
		return this.ids.prefixed("call_");
	}

	/** The key sent, or null if none was sent or it is not a usable key. */
	private static @Nullable String readableKey(@Nullable String header) {
		if (header == null) {
			return null;
		}
		String key = header.trim();
		return CallSignatures.isReadableId(key) ? key : null;
	}

	/**
	 * What a call claims when it acts, so that it acts at most once.
	 *
	 * @param idempotencyKey the {@code X-Idempotency-Key} sent, if any
	 * @param webhookId the signed {@code webhook-id} of a Standard Webhooks call
	 * @param webhookTimestamp its signed {@code webhook-timestamp}
	 */
	record Claim(@Nullable String idempotencyKey, @Nullable String webhookId, @Nullable Instant webhookTimestamp) {

		static Claim of(@Nullable String idempotencyKey) {
			return new Claim(idempotencyKey, null, null);
		}

		boolean claims() {
			return this.idempotencyKey != null || this.webhookId != null;
		}

		/** What Discord's nonce is derived from: the key, else the id. */
		@Nullable String nonceSource() {
			return (this.idempotencyKey != null) ? this.idempotencyKey
					: (this.webhookId != null) ? "webhook-id:" + this.webhookId : null;
		}

		String names() {
			return (this.webhookId == null) ? "X-Idempotency-Key"
					: (this.idempotencyKey == null) ? "webhook-id" : "webhook-id or X-Idempotency-Key";
		}

	}

	/** Another call holds the webhook-id or key for longer than a call waits. */
	private static final class ClaimInUse extends RuntimeException {

		ClaimInUse(Throwable cause) {
			super("webhook-id or X-Idempotency-Key in use", cause, false, false);
		}

	}

}
