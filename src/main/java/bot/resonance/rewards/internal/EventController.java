package bot.resonance.rewards.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import bot.resonance.rewards.EventView;
import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.brands.SignatureCheck;
import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.ids.IdGenerator;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.IdempotencyKeys;
import bot.resonance.platform.web.RequestBodies;
import bot.resonance.rewards.EventRequests;
import bot.resonance.rewards.Submission;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import bot.resonance.rewards.internal.ingest.RewardsProperties;

/**
 * {@code POST /v1/events}, exactly as the event API documentation describes it, and
 * {@code GET /v1/events/{event_id}} to look a recorded event up.
 */
@RestController
@Tag(name = "Events", description = "Send signed reward events and look them up.")
class EventController {

	static final String SIGNATURE_HEADER = EventRequests.SIGNATURE_HEADER;

	static final String TIMESTAMP_HEADER = EventRequests.TIMESTAMP_HEADER;

	static final String IDEMPOTENCY_HEADER = EventRequests.IDEMPOTENCY_HEADER;

	private final EventRequestParser parser;

	private final Brands brands;

	private final EventRequests answers;

	private final EventQueries queries;

	private final IdGenerator ids;

	private final Clock clock;

	private final RewardsProperties properties;

	EventController(EventRequestParser parser, Brands brands, EventRequests answers, EventQueries queries,
			IdGenerator ids, Clock clock, RewardsProperties properties) {
		this.parser = parser;
		this.brands = brands;
		this.answers = answers;
		this.queries = queries;
		this.ids = ids;
		this.clock = clock;
		this.properties = properties;
	}

	@PostMapping("/v1/events")
	@Operation(operationId = "sendEvent", summary = "Send a reward event",
			description = "Rewards a Discord user for an event of one of the brand's enabled event types, from the brand's "
					+ "wallet. Anyone holding the brand's secret key may call it: X-Resonance-Signature is the hex "
					+ "HMAC-SHA256 of the raw body (or of timestamp + \".\" + body when X-Resonance-Timestamp is sent). "
					+ "Events over a daily limit are accepted as pending and processed after 00:00 UTC. Errors keep the "
					+ "seed's shape {\"success\": false, \"error\": {\"code\", \"message\", \"retry_after\"?}}.",
			parameters = {
					@Parameter(name = SIGNATURE_HEADER, in = ParameterIn.HEADER, required = true,
							description = "Hex HMAC-SHA256 of the raw request body, keyed with the brand's secret key"),
					@Parameter(name = TIMESTAMP_HEADER, in = ParameterIn.HEADER,
							description = "Unix seconds; when present the signature covers timestamp + \".\" + body and must be within 5 minutes"),
					@Parameter(name = IDEMPOTENCY_HEADER, in = ParameterIn.HEADER,
							description = "Retrying with the same key and body returns the first answer; a different body is refused with 422") },
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(schema = @Schema(implementation = EventRequestSchema.class),
							examples = @ExampleObject(name = "custom_event", summary = "The event API's example",
									value = """
											{"brand_id": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", \
											"event_type": "custom_event", "user_id": "123456789012345678", \
											"server_id": "987654321098765432", "amount": 50, "metadata": {}}"""))),
			responses = {
					@ApiResponse(responseCode = "200", description = "Rewarded, or accepted as pending",
							content = @Content(schema = @Schema(implementation = EventAnswerSchema.class))),
					@ApiResponse(responseCode = "400",
							description = "INVALID_REQUEST, BRAND_NOT_FOUND, EVENT_DISABLED, USER_DISABLED or INSUFFICIENT_BALANCE"),
					@ApiResponse(responseCode = "401", description = "INVALID_SIGNATURE"),
					@ApiResponse(responseCode = "413", description = "PAYLOAD_TOO_LARGE"),
					@ApiResponse(responseCode = "422",
							description = "IDEMPOTENCY_KEY_REUSED: the key was used with a different body"),
					@ApiResponse(responseCode = "429",
							description = "COOLDOWN_ACTIVE or RATE_LIMITED, with Retry-After"),
					@ApiResponse(responseCode = "500",
							description = "INTERNAL_ERROR: not recorded; retry with the same Idempotency-Key"),
					@ApiResponse(responseCode = "503", description = "SERVICE_UNAVAILABLE: retry after Retry-After") })
	void send(HttpServletRequest request, HttpServletResponse response) throws IOException {
		Instant receivedAt = this.clock.instant();
		byte[] body = RequestBodies.read(request, this.properties.maxEventSize().toBytes());
		EventRequestParser.Parsed parsed = this.parser.parse(body);
		String idempotencyKey = IdempotencyKeys.read(request.getHeader(IDEMPOTENCY_HEADER));
		// Refusals are answered directly rather than thrown: they are this endpoint's
		// everyday traffic, and exception handling would be most of their cost.
		Brand brand;
		switch (this.brands.verifyEventSignature(parsed.brandId(), body, request.getHeader(SIGNATURE_HEADER),
				request.getHeader(TIMESTAMP_HEADER))) {
			case SignatureCheck.BrandNotFound notFound -> {
				this.answers.refuse(response, HttpStatus.BAD_REQUEST, "BRAND_NOT_FOUND",
						"Brand ID not registered: " + parsed.brandId() + ". Use the brand_id shown for your brand.");
				return;
			}
			case SignatureCheck.Invalid invalid -> {
				this.answers.refuse(response, HttpStatus.UNAUTHORIZED, "INVALID_SIGNATURE",
						"HMAC verification failed. " + invalid.reason());
				return;
			}
			case SignatureCheck.Valid valid -> brand = valid.brand();
		}
		Submission.NewEvent submission = new Submission.NewEvent(this.ids.prefixed("evt_"), brand, parsed.request(),
				idempotencyKey, Hashing.sha256(body), receivedAt, "api");
		this.answers.submit(submission, response);
	}

	@GetMapping("/v1/events/{event_id}")
	@Operation(operationId = "getEvent", summary = "Get a recorded event",
			responses = @ApiResponse(responseCode = "200", description = "The recorded event, whatever its outcome"),
			description = "Any call that passed the signature check was recorded, whatever its outcome: its fields, what "
					+ "was awarded, the balance after, and the error code of a rejection. Takes the brand's API key. "
					+ "event_not_found (404) for an id the brand did not send.")
	@SecurityRequirement(name = "apiKey")
	EventView get(AuthenticatedBrand caller, @PathVariable("event_id") String eventId) {
		return this.queries.event(caller.brandId(), eventId)
			.orElseThrow(() -> ApiException.notFound("event_not_found", "No event " + eventId + " for this brand."));
	}

	/** The success answer, as documented (seed 000) with what Resonance adds. */
	@Schema(name = "EventAnswer", example = """
			{"success": true, "event_id": "evt_01HXYZ3NDEKTSV4RRFFQ69G5FAV", "user_id": "123456789012345678", \
			"amount_awarded": 50, "new_balance": 1250, "currency": "POINT", "status": "awarded"}""")
	record EventAnswerSchema(@Schema(description = "Always true on a 200") boolean success,
			@Schema(description = "The recorded event's id",
					example = "evt_01HXYZ3NDEKTSV4RRFFQ69G5FAV") String eventId,
			@Schema(description = "The recipient, as sent", example = "123456789012345678") String userId,
			@Schema(description = "What was awarded, in the currency's smallest unit; 0 while pending",
					example = "50") long amountAwarded,
			@Schema(description = "The member's balance after the award", example = "1250") long newBalance,
			@Schema(description = "The currency awarded (awarded events)", example = "POINT") @Nullable String currency,
			@Schema(description = "awarded, or pending when a daily limit defers it", allowableValues = {
					"awarded", "pending" }) String status,
			@Schema(description = "Why a pending event waits",
					allowableValues = { "DAILY_LIMIT_REACHED", "USER_DAILY_LIMIT_REACHED",
							"COOLDOWN_ACTIVE" }) @Nullable String pendingReason,
			@Schema(description = "When a pending event will be processed (ISO 8601)") @Nullable String processAfter){
	}

	/** The request body, as documented. */
	@Schema(name = "EventRequest")
	record EventRequestSchema(
			@Schema(description = "Your brand's wallet address", example = "0x5aAeb6053f3E94C9b9A09f33669435E7Ef1BeAed",
					requiredMode = Schema.RequiredMode.REQUIRED) String brandId,
			@Schema(description = "One of your brand's enabled event types", example = "custom_event",
					requiredMode = Schema.RequiredMode.REQUIRED) String eventType,
			@Schema(description = "The Discord user id of the recipient", example = "123456789012345678",
					requiredMode = Schema.RequiredMode.REQUIRED) String userId,
			@Schema(description = "The Discord guild id where the event occurred", example = "987654321098765432",
					requiredMode = Schema.RequiredMode.REQUIRED) String serverId,
			@Schema(description = "Token amount to award; defaults to the event type's amount",
					example = "50") @Nullable Long amount,
			@Schema(description = "Arbitrary key-value data attached to the event record") java.util.@Nullable Map<String, Object> metadata) {
	}

}
