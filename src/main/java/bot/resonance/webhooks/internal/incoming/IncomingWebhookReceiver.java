package bot.resonance.webhooks.internal.incoming;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import bot.resonance.platform.web.BodyTooLargeException;
import bot.resonance.platform.web.RequestBodies;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /hooks/{brand_id}/{hook_id}}: where external services call an incoming
 * webhook. Authenticated by the body's signature, not by an API key.
 */
@RestController
@Tag(name = "Incoming webhooks")
class IncomingWebhookReceiver {

	static final String SIGNATURE_HEADER = "X-Signature";

	static final String IDEMPOTENCY_HEADER = "X-Idempotency-Key";

	private final IncomingCalls calls;

	private final IncomingWebhookProperties properties;

	IncomingWebhookReceiver(IncomingCalls calls, IncomingWebhookProperties properties) {
		this.calls = calls;
		this.properties = properties;
	}

	@PostMapping("/hooks/{brand_id}/{hook_id}")
	@Operation(summary = "Call an incoming webhook",
			description = "Body {\"action\": \"currency.add\" | \"role.assign\" | \"message.post\", \"data\": {...}}, "
					+ "signed: X-Signature is sha256= and the hex HMAC-SHA256 of the raw body keyed with the hook's secret.",
			parameters = { @Parameter(name = SIGNATURE_HEADER, in = ParameterIn.HEADER, required = true,
					description = "sha256=<hex HMAC-SHA256 of the raw body, keyed with the UTF-8 bytes of the hook's secret>"),
					@Parameter(name = IDEMPOTENCY_HEADER, in = ParameterIn.HEADER,
							description = "Repeating a call with the same key and body returns the first answer (Idempotent-Replayed: true); a different body is refused with 422") },
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(schema = @Schema(implementation = CallSchema.class))),
			responses = { @ApiResponse(responseCode = "200", description = "Done: {call_id, action, result}"),
					@ApiResponse(responseCode = "400",
							description = "invalid_request, unknown_action, action_not_allowed, unknown_currency"),
					@ApiResponse(responseCode = "401", description = "invalid_signature"),
					@ApiResponse(responseCode = "403", description = "incoming_webhook_disabled"),
					@ApiResponse(responseCode = "404", description = "incoming_webhook_not_found"),
					@ApiResponse(responseCode = "409", description = "idempotency_key_in_use"),
					@ApiResponse(responseCode = "413", description = "payload_too_large"),
					@ApiResponse(responseCode = "422",
							description = "idempotency_key_reused, insufficient_balance, user_disabled, discord_* refusals"),
					@ApiResponse(responseCode = "429", description = "rate_limited, with Retry-After"),
					@ApiResponse(responseCode = "502", description = "discord_unavailable, discord_unauthorized"),
					@ApiResponse(responseCode = "503", description = "discord_not_configured, discord_rate_limited") })
	void receive(@PathVariable("brand_id") String brandId, @PathVariable("hook_id") String hookId,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		Optional<IncomingWebhook> hook = this.calls.find(brandId, hookId);
		if (hook.isEmpty()) {
			write(response, this.calls.notFound());
			return;
		}
		String key = idempotencyKey(request);
		byte[] body;
		try {
			body = RequestBodies.read(request, this.properties.maxBodySize().toBytes());
		}
		catch (BodyTooLargeException ex) {
			write(response, this.calls.tooLarge(hook.get(), key));
			return;
		}
		write(response, this.calls.receive(hook.get(), body, request.getHeader(SIGNATURE_HEADER), key));
	}

	private static @Nullable String idempotencyKey(HttpServletRequest request) {
		String key = request.getHeader(IDEMPOTENCY_HEADER);
		return (key != null) ? key : request.getHeader("Idempotency-Key");
	}

	private static void write(HttpServletResponse response, CallResult result) throws IOException {
		response.setStatus(result.status());
		response.setContentType(
				result.isError() ? MediaType.APPLICATION_PROBLEM_JSON_VALUE : MediaType.APPLICATION_JSON_VALUE);
		if (result.retryAfterSeconds() != null) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(result.retryAfterSeconds()));
		}
		if (result.replayed()) {
			response.setHeader("Idempotent-Replayed", "true");
		}
		byte[] body = result.body().getBytes(StandardCharsets.UTF_8);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
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
