package bot.resonance.platform.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.platform.crypto.Hashing;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on every state-changing POST of the management and operator
 * APIs: the same key with the same request replays the stored response (marked
 * {@code Idempotent-Replayed: true}); the same key with a different request is refused
 * with {@code 422}; a second attempt while the first still runs gets {@code 409}. Keys
 * are scoped to the credential that sent them. Responses that are worth retrying (5xx,
 * 401, 403, 409, 429) are not stored.
 *
 * <p>
 * The event endpoint ({@code POST /v1/events}) records its keys with the event itself, in
 * the same transaction, and is not handled here.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
class IdempotencyFilter extends OncePerRequestFilter {

	static final String HEADER = "Idempotency-Key";

	static final String REPLAYED_HEADER = "Idempotent-Replayed";

	private final IdempotencyStore store;

	private final JsonMapper json;

	private final long maxBody;

	IdempotencyFilter(IdempotencyStore store, JsonMapper json, HttpProperties properties) {
		this.store = store;
		this.json = json;
		this.maxBody = properties.maxBodySize().toBytes();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		if (!"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
				|| SeedErrors.isSeedEndpoint(request)) {
			return true;
		}
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return !(path.startsWith("/v1/") || path.startsWith("/admin/"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String key = request.getHeader(HEADER).trim();
		if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			FilterErrors.write(this.json, request, response, HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST,
					"Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.");
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
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		String principal = Hashing.hex(Hashing.sha256((authorization != null) ? authorization.trim() : "anonymous"))
			.substring(0, 32);
		byte[] fingerprint = Hashing
			.sha256(concat((request.getMethod() + " " + request.getRequestURI() + "?" + request.getQueryString() + "\n")
				.getBytes(StandardCharsets.UTF_8), body));

		switch (this.store.claim(principal, key, fingerprint)) {
			case IdempotencyStore.Claim.Replay replay -> {
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
			case IdempotencyStore.Claim.Mismatch mismatch -> FilterErrors.write(this.json, request, response,
					HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused",
					"This Idempotency-Key was already used with a different request. Use a new key for a new request.");
			case IdempotencyStore.Claim.InProgress inProgress ->
				FilterErrors.write(this.json, request, response, HttpStatus.CONFLICT, "idempotency_key_in_use",
						"A request with this Idempotency-Key is still being processed. Retry shortly.");
			case IdempotencyStore.Claim.Started started -> runAndStore(request, response, chain, principal, key, body);
		}
	}

	private void runAndStore(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
			String principal, String key, byte[] body) throws IOException, ServletException {
		ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
		boolean stored = false;
		try {
			chain.doFilter(new CachedBodyRequest(request, body), captured);
			int status = captured.getStatus();
			if (isWorthStoring(status)) {
				this.store.complete(principal, key, status, captured.getContentType(),
						captured.getHeader(HttpHeaders.LOCATION), captured.getContentAsByteArray());
				stored = true;
			}
		}
		finally {
			if (!stored) {
				this.store.release(principal, key);
			}
			captured.copyBodyToResponse();
		}
	}

	private static boolean isWorthStoring(int status) {
		return status < 500 && status != 401 && status != 403 && status != 409 && status != 429;
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] out = new byte[a.length + b.length];
		System.arraycopy(a, 0, out, 0, a.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

}
