package bot.resonance.rewards.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
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
	@Operation(summary = "Send a reward event",
			description = "Signed with the brand's secret key: X-Resonance-Signature is the hex HMAC-SHA256 of the raw body "
					+ "(or of timestamp + \".\" + body when X-Resonance-Timestamp is sent).",
			parameters = {
					@Parameter(name = SIGNATURE_HEADER, in = ParameterIn.HEADER, required = true,
							description = "Hex HMAC-SHA256 of the raw request body, keyed with the brand's secret key"),
					@Parameter(name = TIMESTAMP_HEADER, in = ParameterIn.HEADER,
							description = "Unix seconds; when present the signature covers timestamp + \".\" + body and must be within 5 minutes"),
					@Parameter(name = IDEMPOTENCY_HEADER, in = ParameterIn.HEADER,
							description = "Retrying with the same key and body returns the first answer; a different body is refused with 422") },
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(schema = @Schema(implementation = EventRequestSchema.class))),
			responses = { @ApiResponse(responseCode = "200", description = "Rewarded, or accepted as pending"),
					@ApiResponse(responseCode = "400",
							description = "INVALID_REQUEST, BRAND_NOT_FOUND, EVENT_DISABLED, USER_DISABLED or INSUFFICIENT_BALANCE"),
					@ApiResponse(responseCode = "401", description = "INVALID_SIGNATURE"), @ApiResponse(
							responseCode = "429", description = "COOLDOWN_ACTIVE or RATE_LIMITED, with Retry-After") })
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
	@Operation(summary = "Get a recorded event",
			description = "Any call that passed the signature check was recorded, whatever its outcome.")
	@SecurityRequirement(name = "apiKey")
	EventView get(AuthenticatedBrand caller, @PathVariable("event_id") String eventId) {
		return this.queries.event(caller.brandId(), eventId)
			.orElseThrow(() -> ApiException.notFound("event_not_found", "No event " + eventId + " for this brand."));
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
