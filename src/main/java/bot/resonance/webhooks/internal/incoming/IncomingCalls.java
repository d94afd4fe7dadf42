package bot.resonance.webhooks.internal.incoming;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.brands.BrandIds;
import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.ids.IdGenerator;
import bot.resonance.webhooks.internal.incoming.IncomingWebhookRepository.CallRecord;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Serves a call to an incoming webhook, checking in this order: the hook exists
 * ({@code 404}, not logged), the signature ({@code 401}), the hook is enabled
 * ({@code 403}), the rate limit ({@code 429}), the body and the action ({@code 400});
 * then acts. Every call to an existing hook is logged with its answer, except calls
 * refused for a bad signature beyond
 * {@code resonance.incoming-webhooks.refused-signature-log-per-minute}.
 *
 * <p>
 * With {@code X-Idempotency-Key}, the call claims the key in the transaction that acts (a
 * row in the call log under a unique index): a concurrent duplicate waits for it and then
 * replays its answer; a repeat with a different body is refused {@code 422}. An answer
 * worth retrying ({@code 5xx}, {@code 409}, {@code 429}) gives the key up, so the same
 * key can be retried. Calls refused before acting never claim a key.
 *
 * <p>
 * {@code currency.add} moves money and logs the call in one transaction. A Discord action
 * with a key keeps its claim's transaction open while Discord answers (bounded by the
 * {@code resonance.discord} timeouts and rate limit wait); without a key it holds no
 * database connection while it waits for Discord.
 */
@Service
class IncomingCalls {

	static final String SIGNATURE_PREFIX = "sha256=";

	private static final Logger log = LoggerFactory.getLogger(IncomingCalls.class);

	private static final Pattern HEX_SIGNATURE = Pattern.compile("[0-9a-f]{64}");

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
		return logged(hook, null, result, readableKey(idempotencyKey), null, this.clock.instant());
	}

	/** Serves a call to {@code hook} with its raw body and headers. */
	CallResult receive(IncomingWebhook hook, byte[] body, @Nullable String signature,
			@Nullable String idempotencyKeyHeader) {
		Instant receivedAt = this.clock.instant();
		String callId = newCallId();
		String key = readableKey(idempotencyKeyHeader);
		byte[] hash = Hashing.sha256(body);

		String refusal = checkSignature(hook, body, signature, receivedAt);
		if (refusal != null) {
			CallResult refused = this.results.problem(HttpStatus.UNAUTHORIZED, "invalid_signature", refusal, callId,
					null);
			return this.refusalLog.admit(hook.id().toString(), receivedAt)
					? logged(hook, null, refused, key, hash, receivedAt) : refused;
		}
		if (!hook.enabled()) {
			return logged(hook, null, this.results.problem(HttpStatus.FORBIDDEN, "incoming_webhook_disabled",
					"This incoming webhook is disabled. Enable it with PATCH /v1/incoming-webhooks/" + hook.id() + ".",
					callId, null), key, hash, receivedAt);
		}
		if (idempotencyKeyHeader != null && key == null) {
			return logged(hook, null, this.results.problem(HttpStatus.BAD_REQUEST, "invalid_request",
					"X-Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.", callId, null),
					null, hash, receivedAt);
		}
		Optional<Duration> wait = this.repository.takeToken(hook.brandId(), hook.id(), receivedAt);
		if (wait.isPresent()) {
			long seconds = wait.get().toSeconds();
			return logged(hook, null,
					this.results.problem(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
							"This incoming webhook accepts " + hook.rateLimitPerMinute()
									+ " calls per minute. Retry in " + seconds + " seconds.",
							callId, null, Map.of(), seconds),
					key, hash, receivedAt);
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
						key, hash, receivedAt);
			}
			call = this.parser.call(envelope);
			if (call instanceof IncomingCall.CurrencyAdd add) {
				currencyCode = this.currency.currency(hook, add);
			}
		}
		catch (IncomingCallParser.Refusal ex) {
			IncomingAction named = (ex.action() != null) ? ex.action() : action;
			return logged(hook, named, this.results.problem(HttpStatus.BAD_REQUEST, ex.code(),
					String.valueOf(ex.getMessage()), callId, named), key, hash, receivedAt);
		}
		return act(hook, callId, call, currencyCode, key, hash, receivedAt);
	}

	private CallResult act(IncomingWebhook hook, String callId, IncomingCall call, @Nullable String currencyCode,
			@Nullable String key, byte[] hash, Instant receivedAt) {
		String action = call.action().wireName();
		if (key == null && !(call instanceof IncomingCall.CurrencyAdd)) {
			// Nothing to claim and nothing to write with it: Discord is called without
			// holding a database connection, and the answer logged after.
			CallResult answer;
			try {
				answer = perform(hook, callId, call, currencyCode, null);
			}
			catch (RuntimeException ex) {
				log.error("Incoming webhook call {} ({}) to hook {} of brand {} failed", callId, action, hook.id(),
						hook.brandId(), ex);
				return failed(hook, callId, call, null, hash, receivedAt);
			}
			return logged(hook, call.action(), answer, null, hash, receivedAt);
		}
		try {
			CallResult result = this.transactions.execute((status) -> {
				if (key != null) {
					CallRecord claim = new CallRecord(hook.brandId(), hook.id(), callId, action, "processing", 0, null,
							"", key, true, hash, receivedAt);
					boolean claimed;
					try {
						claimed = this.repository.claimKey(claim, this.properties.idempotencyWaitTimeout());
					}
					catch (PessimisticLockingFailureException ex) {
						throw new KeyInUse(ex);
					}
					if (!claimed) {
						return answerRepeat(hook, callId, call, key, hash, receivedAt);
					}
				}
				CallResult answer = perform(hook, callId, call, currencyCode, key);
				CallRecord record = new CallRecord(hook.brandId(), hook.id(), callId, action, answer.outcome(),
						answer.status(), answer.errorCode(), answer.body(), key, key != null && answer.isFinal(), hash,
						receivedAt);
				if (key != null) {
					this.repository.completeCall(record);
				}
				else {
					this.repository.insertCall(record);
				}
				return answer;
			});
			return (result != null) ? result : failed(hook, callId, call, key, hash, receivedAt);
		}
		catch (KeyInUse ex) {
			return logged(hook, call.action(),
					this.results.problem(HttpStatus.CONFLICT, "idempotency_key_in_use",
							"A call with this X-Idempotency-Key is still being processed. Retry shortly.", callId,
							call.action()),
					key, hash, receivedAt);
		}
		catch (RuntimeException ex) {
			log.error("Incoming webhook call {} ({}) to hook {} of brand {} failed", callId, action, hook.id(),
					hook.brandId(), ex);
			return failed(hook, callId, call, key, hash, receivedAt);
		}
	}

	private CallResult perform(IncomingWebhook hook, String callId, IncomingCall call, @Nullable String currencyCode,
			@Nullable String key) {
		return switch (call) {
			case IncomingCall.CurrencyAdd add ->
				this.currency.apply(hook, callId, add, Objects.requireNonNull(currencyCode), this.clock.instant());
			case IncomingCall.RoleAssign assign -> this.discord.assignRole(hook, callId, assign);
			case IncomingCall.MessagePost post -> this.discord.postMessage(hook, callId, post, key);
		};
	}

	/**
	 * A call whose key another call holds: its answer again if the body is the same,
	 * otherwise a {@code 422}. Logged either way.
	 */
	private CallResult answerRepeat(IncomingWebhook hook, String callId, IncomingCall call, String key, byte[] hash,
			Instant receivedAt) {
		CallRecord holder = this.repository.keyHolder(hook.brandId(), hook.id(), key).orElse(null);
		CallResult answer;
		if (holder == null) {
			// Pruned in the instant between the two statements: nothing to replay.
			answer = this.results.problem(HttpStatus.CONFLICT, "idempotency_key_in_use",
					"A call with this X-Idempotency-Key just finished. Retry shortly.", callId, call.action());
		}
		else if (holder.requestHash() == null || !Arrays.equals(holder.requestHash(), hash)) {
			answer = this.results.problem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused",
					"This X-Idempotency-Key was already used with a different body (call " + holder.id()
							+ "). Use a new key for a new call.",
					callId, call.action());
		}
		else {
			answer = new CallResult(callId, holder.status(), holder.errorCode(), holder.response(), null, true);
		}
		this.repository.insertCall(new CallRecord(hook.brandId(), hook.id(), callId, call.action().wireName(),
				answer.outcome(), answer.status(), answer.errorCode(), answer.body(), key, false, hash, receivedAt));
		return answer;
	}

	private CallResult failed(IncomingWebhook hook, String callId, IncomingCall call, @Nullable String key, byte[] hash,
			Instant receivedAt) {
		return logged(hook, call.action(),
				this.results.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
						"An internal error occurred. It has been logged; retry later (with the same X-Idempotency-Key "
								+ "it cannot act twice).",
						callId, call.action()),
				key, hash, receivedAt);
	}

	/** Logs a call that holds no idempotency key, in a statement of its own. */
	private CallResult logged(IncomingWebhook hook, @Nullable IncomingAction action, CallResult result,
			@Nullable String key, byte @Nullable [] hash, Instant receivedAt) {
		String callId = (result.callId() != null) ? result.callId() : newCallId();
		try {
			this.repository.insertCall(new CallRecord(hook.brandId(), hook.id(), callId,
					(action != null) ? action.wireName() : null, result.outcome(), result.status(), result.errorCode(),
					result.body(), key, false, hash, receivedAt));
		}
		catch (RuntimeException ex) {
			log.warn("Could not log call {} to incoming webhook {}", callId, hook.id(), ex);
		}
		return result;
	}

	private String newCallId() {
		return this.ids.prefixed("call_");
	}

	/**
	 * Why the signature does not verify, or {@code null} if it does:
	 * {@code X-Signature: sha256=<hex HMAC-SHA256 of the raw body>}, keyed with the UTF-8
	 * bytes of the hook's secret.
	 */
	private static @Nullable String checkSignature(IncomingWebhook hook, byte[] body, @Nullable String signature,
			Instant now) {
		if (signature == null || signature.isBlank()) {
			return "The X-Signature header is missing: send sha256=<hex HMAC-SHA256 of the raw body, keyed with the "
					+ "hook's secret>.";
		}
		String presented = signature.trim().toLowerCase(Locale.ROOT);
		if (presented.startsWith(SIGNATURE_PREFIX)) {
			presented = presented.substring(SIGNATURE_PREFIX.length());
		}
		if (!HEX_SIGNATURE.matcher(presented).matches()) {
			return "X-Signature must be sha256= followed by the hex HMAC-SHA256 of the raw body (64 hex characters).";
		}
		if (!hook.verifies(body, presented, now)) {
			return "The signature does not match. Sign the exact raw body with the hook's secret (HMAC-SHA256, hex).";
		}
		return null;
	}

	/** Another call holds the idempotency key for longer than a call waits. */
	private static final class KeyInUse extends RuntimeException {

		KeyInUse(Throwable cause) {
			super("X-Idempotency-Key in use", cause, false, false);
		}

	}

	/** The key sent, or null if none was sent or it is not a usable key. */
	private static @Nullable String readableKey(@Nullable String header) {
		if (header == null) {
			return null;
		}
		String key = header.trim();
		if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			return null;
		}
		return key;
	}

}
