package bot.resonance.platform.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.crypto.Hashing;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on every state-changing POST of the management and operator
 * APIs: the same key with the same request replays the stored response (marked
 * {@code Idempotent-Replayed: true}); the same key with a different request is refused
 * with {@code 422}. Keys are scoped to the credential that sent them.
 *
 * <p>
 * The request runs in one transaction with its key (see {@link IdempotencyStore}): its
 * work and its stored response commit together, and the response is sent only after the
 * commit. A second attempt while the first still runs waits for it, and is answered
 * {@code 409} if it waits longer than {@code resonance.http.idempotency-wait-timeout}.
 * Responses that are worth retrying (5xx, 401, 403, 409, 429) are not stored, and their
 * work is rolled back; nor is a {@code 400}, a request refused before it did anything (as
 * Stripe's keys): the same key works for the corrected request.
 *
 * <p>
 * The event endpoint ({@code POST /v1/events}) records its keys with the event itself, in
 * the same transaction, and is not handled here.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
class IdempotencyFilter extends RequestFilter {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

	static final String HEADER = IdempotencyKeys.HEADER;

	static final String REPLAYED_HEADER = "Idempotent-Replayed";

	private final IdempotencyStore store;

	private final PlatformTransactionManager transactions;

	private final JsonMapper json;

	private final long maxBody;

	IdempotencyFilter(IdempotencyStore store, PlatformTransactionManager transactions, JsonMapper json,
			HttpProperties properties) {
		this.store = store;
		this.transactions = transactions;
		this.json = json;
		this.maxBody = properties.maxBodySize().toBytes();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// Keys belong to an authenticated caller: requests nobody authenticated (the
		// event API, which keeps its keys with its events, and signed webhooks) are not
		// handled here.
		if (!"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
				|| SeedErrors.isSeedEndpoint(request) || ApiCaller.of(request) == null) {
			return true;
		}
		String path = SeedErrors.path(request);
		// Shopify's webhooks are deduplicated by their own X-Shopify-Webhook-Id, and
		// their work commits in its own transactions.
		if (path.startsWith("/v1/integrations/shopify/")) {
			return true;
		}
		return !(path.startsWith("/v1/") || path.startsWith("/admin/"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String key;
		try {
			key = IdempotencyKeys.read(request.getHeader(HEADER));
		}
		catch (ApiException ex) {
			FilterErrors.write(this.json, request, response, HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST,
					ex.getMessage());
			return;
		}
		byte[] body;
		try {
			body = RequestBodies.read(request, this.maxBody);
		}
		catch (BodyTooLargeException ex) {
			FilterErrors.write(this.json, request, response, HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
					ex.getMessage());
			return;
		}
		IdempotencyStore.Caller caller = IdempotencyStore.Caller.of(Objects.requireNonNull(ApiCaller.of(request)));
		byte[] fingerprint = Hashing
			.sha256(concat((request.getMethod() + " " + request.getRequestURI() + "?" + request.getQueryString() + "\n")
				.getBytes(StandardCharsets.UTF_8), body));

		TransactionStatus transaction = this.transactions.getTransaction(TransactionDefinition.withDefaults());
		try {
			IdempotencyStore.Claim claim;
			try {
				claim = this.store.claim(caller, key, fingerprint);
			}
			catch (PessimisticLockingFailureException ex) {
				this.transactions.rollback(transaction);
				FilterErrors.write(this.json, request, response, HttpStatus.CONFLICT, "idempotency_key_in_use",
						"A request with this Idempotency-Key is still being processed. Retry shortly.");
				return;
			}
			switch (claim) {
				case IdempotencyStore.Claim.Replay replay -> {
					this.transactions.commit(transaction);
					response.setStatus(replay.status());
					if (replay.contentType() != null) {
						response.setContentType(replay.contentType());
					}
					if (replay.location() != null) {
						response.setHeader(HttpHeaders.LOCATION, replay.location());
					}
					response.setHeader(REPLAYED_HEADER, "true");
					response.getOutputStream().write(replay.body());
				}
				case IdempotencyStore.Claim.Mismatch mismatch -> {
					this.transactions.commit(transaction);
					FilterErrors.write(this.json, request, response, HttpStatus.UNPROCESSABLE_CONTENT,
							"idempotency_key_reused", "This Idempotency-Key was already used with a different request. "
									+ "Use a new key for a new request.");
				}
				case IdempotencyStore.Claim.OtherCredential other -> {
					this.transactions.commit(transaction);
					FilterErrors.write(this.json, request, response, HttpStatus.UNPROCESSABLE_CONTENT,
							"idempotency_key_reused",
							"This Idempotency-Key was already used with another credential of yours (an API key "
									+ "since rotated, or a replaced admin token); its answer can only be read "
									+ "with that credential. Use a new key for a new request.");
				}
				case IdempotencyStore.Claim.Started started ->
					runAndStore(request, response, chain, transaction, caller, key, fingerprint, body);
			}
		}
		finally {
			if (!transaction.isCompleted()) {
				this.transactions.rollback(transaction);
			}
		}
	}

	private void runAndStore(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
			TransactionStatus transaction, IdempotencyStore.Caller caller, String key, byte[] fingerprint, byte[] body)
			throws IOException, ServletException {
		ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
		chain.doFilter(new CachedBodyRequest(request, body), captured);
		IdempotencyStore.Response stored = new IdempotencyStore.Response(captured.getStatus(),
				captured.getContentType(), captured.getHeader(HttpHeaders.LOCATION), captured.getContentAsByteArray());
		if (!isWorthStoring(stored.status())) {
			this.transactions.rollback(transaction);
		}
		else if (transaction.isRollbackOnly()) {
			// Refused part-way through: nothing it did is kept, but its answer is.
			this.transactions.rollback(transaction);
			TransactionStatus own = this.transactions.getTransaction(TransactionDefinition.withDefaults());
			try {
				this.store.store(caller, key, fingerprint, stored);
				this.transactions.commit(own);
			}
			finally {
				if (!own.isCompleted()) {
					this.transactions.rollback(own);
				}
			}
		}
		else {
			try {
				this.store.complete(caller, key, stored);
				this.transactions.commit(transaction);
			}
			catch (RuntimeException ex) {
				log.error("Could not commit {} {}", request.getMethod(), request.getRequestURI(), ex);
				captured.resetBuffer();
				captured.reset();
				FilterErrors.write(this.json, request, response, HttpStatus.INTERNAL_SERVER_ERROR,
						Problems.INTERNAL_ERROR, "An internal error occurred. It has been logged; please retry later.");
				return;
			}
		}
		captured.copyBodyToResponse();
	}

	private static boolean isWorthStoring(int status) {
		return status < 500 && status != 400 && status != 401 && status != 403 && status != 409 && status != 429;
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] out = new byte[a.length + b.length];
		System.arraycopy(a, 0, out, 0, a.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

}
