package bot.resonance.incoming.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import bot.resonance.platform.web.BodyTooLargeException;
import bot.resonance.platform.web.RequestBodies;
import bot.resonance.platform.web.RequestIdFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /hooks/{brand_id}/{hook_id}}: where external services call an incoming
 * webhook. Authenticated by the call's signature (see {@link CallSignatures}), not by an
 * API key.
 */
@RestController
@Tag(name = "Incoming webhooks")
class IncomingWebhookReceiver {

	static final String IDEMPOTENCY_HEADER = "X-Idempotency-Key";

	private final IncomingCalls calls;

	private final IncomingWebhookProperties properties;

	private final JsonMapper json;

	IncomingWebhookReceiver(IncomingCalls calls, IncomingWebhookProperties properties, JsonMapper json) {
		this.json = json;
		this.calls = calls;
		this.properties = properties;
	}

	@PostMapping("/hooks/{brand_id}/{hook_id}")
	@Operation(operationId = "callIncomingWebhook", summary = "Call an incoming webhook",
			description = "Body {\"action\": \"currency.add\" | \"role.assign\" | \"message.post\", \"data\": {...}}, "
					+ "signed the Standard Webhooks way: webhook-id, webhook-timestamp and webhook-signature, the "
					+ "HMAC-SHA256 of \"{webhook-id}.{webhook-timestamp}.{raw body}\" keyed with the base64-decoded part "
					+ "of the hook's secret after whsec_. The timestamp must be within 5 minutes of server time "
					+ "(resonance.incoming-webhooks.signature-tolerance), and a webhook-id acts at most once: a repeat "
					+ "with the same body replays the first answer (Idempotent-Replayed: true). Hooks with "
					+ "legacy_signatures also accept X-Signature (sha256= and the hex HMAC-SHA256 of the raw body, keyed "
					+ "with the UTF-8 bytes of the secret), which signs no time: such calls can be replayed.",
			parameters = { @Parameter(name = CallSignatures.ID_HEADER, in = ParameterIn.HEADER,
					description = "The message's id, unique per message and kept on retries: 1 to 255 printable "
							+ "ASCII characters without spaces (e.g. msg_2Lh9...). A repeat acts at most once.",
					example = "msg_p5jXN8AQM9LWM0D4loKWxJek"),
					@Parameter(name = CallSignatures.TIMESTAMP_HEADER, in = ParameterIn.HEADER,
							description = "When the call was signed, in Unix seconds; refused (401, with server_time) "
									+ "if more than the tolerance (5 minutes) from server time either way.",
							example = "1614265330"),
					@Parameter(name = CallSignatures.SIGNATURE_HEADER, in = ParameterIn.HEADER,
							description = "v1,<base64 HMAC-SHA256 of \"{webhook-id}.{webhook-timestamp}.{raw body}\">, "
									+ "keyed with the base64-decoded part of the secret after whsec_; several "
									+ "space-separated are accepted if one matches. Required unless the hook has "
									+ "legacy_signatures and X-Signature is sent instead.",
							example = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
					@Parameter(name = CallSignatures.LEGACY_HEADER, in = ParameterIn.HEADER,
							description = "Legacy, only for hooks with legacy_signatures, and only without the "
									+ "webhook-* headers: sha256=<hex HMAC-SHA256 of the raw body, keyed with the UTF-8 "
									+ "bytes of the secret>. Signs no time: a copy verifies forever."),
					@Parameter(name = IDEMPOTENCY_HEADER, in = ParameterIn.HEADER,
							description = "Optional, not signed. Repeating a call with the same key and body returns the "
									+ "first answer (Idempotent-Replayed: true); a different body is refused with 422. "
									+ "Holds alongside webhook-id.") },
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(schema = @Schema(implementation = CallSchema.class),
							examples = { @ExampleObject(name = "currency.add", value = """
									{"action": "currency.add", "data": {"user_id": "123456789012345678", "amount": 50, \
									"reason": "Order #1001"}}"""), @ExampleObject(name = "role.assign", value = """
									{"action": "role.assign", "data": {"guild_id": "987654321098765432", \
									"user_id": "123456789012345678", "role_id": "555555555555555555"}}""") })),
			responses = {
					@ApiResponse(responseCode = "200",
							description = "Done: {call_id, action, result}; Idempotent-Replayed: true when it repeats "
									+ "the answer to an earlier call with the same webhook-id or X-Idempotency-Key",
							content = @Content(schema = @Schema(implementation = CallAnswerSchema.class))),
					@ApiResponse(responseCode = "400",
							description = "invalid_request, unknown_action, action_not_allowed, unknown_currency"),
					@ApiResponse(responseCode = "401",
							description = "invalid_signature: a signature header missing or malformed, no match, or "
									+ "webhook-timestamp outside the tolerance (server_time says the server's Unix time)"),
					@ApiResponse(responseCode = "403", description = "incoming_webhook_disabled"),
					@ApiResponse(responseCode = "404", description = "incoming_webhook_not_found"),
					@ApiResponse(responseCode = "409",
							description = "idempotency_key_in_use: a call with the same webhook-id or key is still running"),
					@ApiResponse(responseCode = "413", description = "payload_too_large"),
					@ApiResponse(responseCode = "422",
							description = "webhook_id_reused, idempotency_key_reused, insufficient_balance, "
									+ "user_disabled, discord_* refusals"),
					@ApiResponse(responseCode = "429", description = "rate_limited, with Retry-After"),
					@ApiResponse(responseCode = "502", description = "discord_unavailable, discord_unauthorized"),
					@ApiResponse(responseCode = "503", description = "discord_not_configured, discord_rate_limited") })
	void receive(@PathVariable("brand_id") String brandId, @PathVariable("hook_id") String hookId,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		Optional<IncomingWebhook> hook = this.calls.find(brandId, hookId);
		if (hook.isEmpty()) {
			write(request, response, this.calls.notFound());
			return;
		}
		String key = idempotencyKey(request);
		byte[] body;
		try {
			body = RequestBodies.read(request, this.properties.maxBodySize().toBytes());
		}
		catch (BodyTooLargeException ex) {
			write(request, response, this.calls.tooLarge(hook.get(), key));
			return;
		}
		CallSignatures.Headers signature = new CallSignatures.Headers(request.getHeader(CallSignatures.ID_HEADER),
				request.getHeader(CallSignatures.TIMESTAMP_HEADER), request.getHeader(CallSignatures.SIGNATURE_HEADER),
				request.getHeader(CallSignatures.LEGACY_HEADER));
		write(request, response, this.calls.receive(hook.get(), body, signature, key));
	}

	private static @Nullable String idempotencyKey(HttpServletRequest request) {
		String key = request.getHeader(IDEMPOTENCY_HEADER);
		return (key != null) ? key : request.getHeader("Idempotency-Key");
	}

	private void write(HttpServletRequest request, HttpServletResponse response, CallResult result) throws IOException {
		response.setStatus(result.status());
		response.setContentType(
				result.isError() ? MediaType.APPLICATION_PROBLEM_JSON_VALUE : MediaType.APPLICATION_JSON_VALUE);
		if (result.retryAfterSeconds() != null) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(result.retryAfterSeconds()));
		}
		if (result.replayed()) {
			response.setHeader("Idempotent-Replayed", "true");
		}
		byte[] body = answer(request, result).getBytes(StandardCharsets.UTF_8);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/**
	 * The call's answer; a problem also names this request's id, like every problem
	 * Resonance answers (the call log keeps the answer without it: a replay is another
	 * request).
	 */
	private String answer(HttpServletRequest request, CallResult result) {
		String requestId = RequestIdFilter.of(request);
		if (!result.isError() || requestId == null
				|| !(this.json.readTree(result.body()) instanceof ObjectNode problem)) {
			return result.body();
		}
		problem.put("request_id", requestId);
		return this.json.writeValueAsString(problem);
	}

	/** A successful call's answer, as documented. */
	@Schema(name = "IncomingWebhookResult", example = """
			{"call_id": "call_01JRZ8X5V3K2M9Q4T7W1Y6B0CD", "action": "currency.add", \
			"result": {"user_id": "123456789012345678", "amount": 50, "currency": "POINT", "balance": 150, \
			"wallet_balance": 99850, "transfer_id": "4711", "reason": "Order #1001"}}""")
	record CallAnswerSchema(@Schema(description = "The call's id, in the call log") String callId,
			@Schema(description = "The action done", example = "currency.add") String action,
			@Schema(description = "What the action did: for currency.add the member's and the wallet's balances "
					+ "after it and the transfer id; for role.assign the role; for message.post the message") java.util.Map<String, Object> result) {
	}

	/** A call's body, as documented. */
	@Schema(name = "IncomingWebhookCall")
	record CallSchema(
			@Schema(description = "currency.add, role.assign or message.post", example = "currency.add",
					requiredMode = Schema.RequiredMode.REQUIRED) String action,
			@Schema(description = "currency.add: user_id, amount (non-zero whole number; negative debits), reason?, currency?; "
					+ "role.assign: guild_id, user_id, role_id, reason?; message.post: channel_id, content?, embeds?",
					example = "{\"user_id\": \"123456789012345678\", \"amount\": 50, \"reason\": \"Order #1001\"}",
					requiredMode = Schema.RequiredMode.REQUIRED) java.util.Map<String, Object> data) {
	}

}
