package bot.resonance.integrations.manual;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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

import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.brands.SignatureCheck;
import bot.resonance.identity.Identities;
import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityKind;
import bot.resonance.identity.InvalidIdentityException;
import bot.resonance.integrations.ManualEventChecks;
import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.ids.IdGenerator;
import bot.resonance.platform.web.IdempotencyKeys;
import bot.resonance.platform.web.Utf8;
import bot.resonance.rewards.EventRequest;
import bot.resonance.rewards.EventRequests;
import bot.resonance.rewards.ManualEventBody;
import bot.resonance.rewards.Submission;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The manual event API of the integration guide: {@code POST
 * /resonance-api/manual-event} with {@code {"event", "email", "metadata"}}, for backends
 * that know their customers by email, and {@code /resonance-api/debug} for integrators to
 * check their set-up. Manual events go through the same pipeline, rules and ledger as
 * {@code /v1/events} and are answered the same way.
 */
@RestController
@RequestMapping("/resonance-api")
@Tag(name = "Manual events",
		description = "Events that name the member by email, from backends that have no Discord ids (Shopify, WordPress, custom systems).")
class ManualEventController {

	static final String BRAND_HEADER = "X-Brand-Id";

	private final EventRequests events;

	private final Brands brands;

	private final Identities identities;

	private final IdGenerator ids;

	private final Clock clock;

	private final JsonMapper json;

	private final ManualEventChecks checks;

	ManualEventController(EventRequests events, Brands brands, Identities identities, IdGenerator ids, Clock clock,
			JsonMapper json, ManualEventChecks checks) {
		this.events = events;
		this.brands = brands;
		this.identities = identities;
		this.ids = ids;
		this.clock = clock;
		this.json = json;
		this.checks = checks;
	}

	@PostMapping("/manual-event")
	@Operation(operationId = "sendManualEvent", summary = "Send a manual event",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(schema = @Schema(implementation = ManualEventSchema.class),
							examples = @ExampleObject(name = "place_order", summary = "The integration guide's example",
									value = """
											{"event": "place_order", "email": "jane@example.com", "metadata": {"platform": "your-platform", \
											"order_id": "ORD-12345", "total": 89.99, "items": 3}}"""))),
			responses = @ApiResponse(responseCode = "200", description = "Rewarded, or accepted as pending",
					content = @Content(schema = @Schema(ref = "#/components/schemas/EventAnswer"))),
			description = "Rewards the member an email names (discord_{id}@rsnc.network names a Discord user) for an "
					+ "event of one of the brand's enabled types, from backends that have no Discord ids. Errors "
					+ "have the event API's shape and codes (BRAND_NOT_FOUND, INVALID_SIGNATURE, EVENT_DISABLED, "
					+ "COOLDOWN_ACTIVE, …). The brand is named by the X-Brand-Id header, a brand_id field or query parameter, or the request's Origin being one of its domains. Signed like /v1/events (X-Resonance-Signature over the raw body), unless the brand accepts unsigned manual events.",
			parameters = {
					@Parameter(name = BRAND_HEADER, in = ParameterIn.HEADER,
							description = "Your brand_id (or send brand_id in the body or the query string)"),
					@Parameter(name = EventRequests.SIGNATURE_HEADER, in = ParameterIn.HEADER,
							description = "Hex HMAC-SHA256 of the raw body with your secret key; optional only if your brand accepts unsigned manual events"),
					@Parameter(name = EventRequests.TIMESTAMP_HEADER, in = ParameterIn.HEADER,
							description = "Unix seconds; when present the signature covers timestamp + \".\" + body"),
					@Parameter(name = EventRequests.IDEMPOTENCY_HEADER, in = ParameterIn.HEADER,
							description = "Retrying with the same key and body returns the first answer") })
	void send(HttpServletRequest request, HttpServletResponse response) throws IOException {
		Instant receivedAt = this.clock.instant();
		byte[] body = this.events.readBody(request);
		ManualEventBody parsed = this.events.readManualEvent(body);
		String idempotencyKey = IdempotencyKeys.read(request.getHeader(EventRequests.IDEMPOTENCY_HEADER));
		String origin = request.getHeader("Origin");
		String named = brandNamed(request, parsed.brandId());
		Found found = find(this.brands, named, origin, request.getServerName());
		if (found.brand().isEmpty()) {
			this.events.refuse(response, HttpStatus.BAD_REQUEST, "BRAND_NOT_FOUND",
					(named != null) ? "Brand ID not registered: " + named + ". Use the brand_id shown for your brand."
							: "Name your brand: send the X-Brand-Id header or a brand_id field, call from one of your "
									+ "brand's domains, or send to a host name listed in its domains.");
			return;
		}
		Brand brand = found.brand().get();
		Long amountCap = null;
		String signature = request.getHeader(EventRequests.SIGNATURE_HEADER);
		if (signature == null && brand.allowUnsignedManualEvents()) {
			if (origin != null && !Brands.isBrandOrigin(brand, origin)) {
				this.events.refuse(response, HttpStatus.UNAUTHORIZED, "INVALID_SIGNATURE", "Unsigned manual events "
						+ "are accepted only from your brand's domains; this request comes from " + origin + ".");
				return;
			}
			amountCap = brand.unsignedManualEventMaxAmount();
		}
		else {
			switch (this.brands.verifyEventSignature(brand.brandId(), body, signature,
					request.getHeader(EventRequests.TIMESTAMP_HEADER))) {
				case SignatureCheck.BrandNotFound notFound -> {
					this.events.refuse(response, HttpStatus.BAD_REQUEST, "BRAND_NOT_FOUND",
							"Brand ID not registered: " + brand.brandId() + ".");
					return;
				}
				case SignatureCheck.Invalid invalid -> {
					this.events.refuse(response, HttpStatus.UNAUTHORIZED, "INVALID_SIGNATURE",
							"HMAC verification failed. " + invalid.reason() + (brand.allowUnsignedManualEvents() ? ""
									: " (This brand does not accept unsigned manual events.)"));
					return;
				}
				case SignatureCheck.Valid valid -> brand = valid.brand();
			}
		}
		Submission.NewEvent submission = new Submission.NewEvent(this.ids.prefixed("evt_"), brand,
				withIdentity(brand, parsed, amountCap), idempotencyKey, Hashing.sha256(body), receivedAt, "manual");
		this.events.submit(submission, response);
	}

	@GetMapping("/debug")
	@Operation(operationId = "checkIntegration", summary = "Check your integration",
			responses = @ApiResponse(responseCode = "200", description = "What Resonance sees of your request",
					content = @Content(schema = @Schema(implementation = DebugAnswerSchema.class))),
			description = "Server time and version; with X-Brand-Id (or brand_id=), whether the brand exists, and with X-Resonance-Signature, whether it verifies over the (empty) body and exactly what was signed. POST your real body here to check its signature and fields without recording anything.")
	void debugGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		debug(request, response, new byte[0]);
	}

	@PostMapping("/debug")
	@Operation(operationId = "checkIntegrationBody", summary = "Check a manual event without sending it",
			description = "Send the body and headers you would send to POST /resonance-api/manual-event: the answer "
					+ "says whether the brand is found, whether the body is valid and whether the signature "
					+ "verifies (and if not, exactly which string must be signed). Nothing is recorded or rewarded. "
					+ "Open to anyone, like the manual event endpoint.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(schema = @Schema(implementation = ManualEventSchema.class),
							examples = @ExampleObject(name = "place_order",
									value = """
											{"event": "place_order", "email": "jane@example.com", "metadata": {"platform": "your-platform", \
													"order_id": "ORD-12345", "total": 89.99, "items": 3}}"""))),
			responses = @ApiResponse(responseCode = "200", description = "What Resonance sees of your request",
					content = @Content(schema = @Schema(implementation = DebugAnswerSchema.class))))
	void debugPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
		byte[] body = this.events.readBody(request);
		Utf8.require(body);
		debug(request, response, body);
	}

	private void debug(HttpServletRequest request, HttpServletResponse response, byte[] body) throws IOException {
		Map<String, Object> answer = this.checks.check(new ManualEventChecks.Request(request.getHeader(BRAND_HEADER),
				request.getParameter("brand_id"), request.getHeader("Origin"), request.getServerName(), body,
				request.getHeader(EventRequests.SIGNATURE_HEADER), request.getHeader(EventRequests.TIMESTAMP_HEADER)));
		byte[] out = this.json.writeValueAsBytes(answer);
		response.setStatus(200);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(out.length);
		response.getOutputStream().write(out);
	}

	/**
	 * The brand the request names: X-Brand-Id, else the body's brand_id, else ?brand_id=.
	 */
	private static @Nullable String brandNamed(HttpServletRequest request, @Nullable String bodyBrand) {
		return brandNamed(request.getHeader(BRAND_HEADER), bodyBrand, request.getParameter("brand_id"));
	}

	/**
	 * The brand of a manual event: the one it names; else the one whose domains hold the
	 * host of its {@code Origin} (a browser on the brand's site); else the one whose
	 * domains hold the host it was sent to (a host name pointed at Resonance for the
	 * brand, so a client that names no brand works with only its address changed).
	 */
	static Found find(Brands brands, @Nullable String named, @Nullable String origin, @Nullable String host) {
		if (named != null) {
			return new Found(brands.find(named), "brand_id");
		}
		Optional<Brand> byOrigin = brands.findByOrigin(origin);
		if (byOrigin.isPresent()) {
			return new Found(byOrigin, "origin");
		}
		Optional<Brand> byHost = brands.findByHost(host);
		if (byHost.isPresent()) {
			return new Found(byHost, "host");
		}
		return new Found(Optional.empty(), (origin != null) ? "origin" : "nothing");
	}

	/** A manual event's brand, if found, and what named it. */
	record Found(Optional<Brand> brand, String namedBy) {
	}

	static @Nullable String brandNamed(@Nullable String header, @Nullable String bodyBrand, @Nullable String query) {
		if (header != null && !header.isBlank()) {
			return header.trim();
		}
		if (bodyBrand != null && !bodyBrand.isBlank()) {
			return bodyBrand;
		}
		return (query != null && !query.isBlank()) ? query.trim() : null;
	}

	/**
	 * The request with its member's identity: the email, or the platform identity its
	 * alias stands for. A bad email makes the request invalid (recorded and answered
	 * {@code INVALID_REQUEST}).
	 */
	private EventRequest withIdentity(Brand brand, ManualEventBody parsed, @Nullable Long amountCap) {
		EventRequest request = parsed.request();
		if (!request.isValid() || parsed.email() == null) {
			return new EventRequest(request.eventType(), request.userId(), null, request.amount(),
					request.metadataJson(), request.invalidReason(), null, amountCap);
		}
		try {
			Identity identity = this.identities.parse(brand.brandId(), IdentityKind.EMAIL, parsed.email());
			// Named as the event API names it: the email, or the Discord user id; a
			// Telegram or Twitter/X id keeps its alias, so the two platforms' 12345 stay
			// apart in answers and webhooks.
			String userId = (identity.kind() == IdentityKind.EMAIL || identity.kind() == IdentityKind.DISCORD)
					? identity.value() : this.identities.emailAlias(identity.kind(), identity.value());
			return new EventRequest(request.eventType(), userId, null, request.amount(), request.metadataJson(), null,
					identity, amountCap);
		}
		catch (InvalidIdentityException ex) {
			return new EventRequest(request.eventType(), request.userId(), null, request.amount(),
					request.metadataJson(), "email must be an email address (name@example.com), or "
							+ "discord_{id}@rsnc.network for a Discord user.",
					null, amountCap);
		}
	}

	/** A manual event's body, as the integration guide documents it (seed 001). */
	@Schema(name = "ManualEvent")
	record ManualEventSchema(
			@Schema(description = "One of your brand's enabled event types", example = "place_order",
					requiredMode = Schema.RequiredMode.REQUIRED) String event,
			@Schema(description = "The member's email; discord_{user_id}@rsnc.network (telegram_, twitter_) for a "
					+ "platform id", example = "jane@example.com",
					requiredMode = Schema.RequiredMode.REQUIRED) String email,
			@Schema(description = "Your brand's id, when neither X-Brand-Id nor the Origin names it",
					example = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed") @Nullable String brandId,
			@Schema(description = "Token amount to award; defaults to the event type's amount (unsigned events are "
					+ "capped by the brand's unsigned_manual_event_max_amount)", example = "50") @Nullable Long amount,
			@Schema(description = "Arbitrary key-value data attached to the event record") java.util.@Nullable Map<String, Object> metadata) {
	}

	/** What the debug endpoint answers. */
	@Schema(name = "IntegrationCheck", example = """
			{"ok": true, "server_time": "2026-11-23T12:00:00Z", "server_time_unix": 1795435200, "version": "0.1.0", \
			"brand": {"named_by": "brand_id", "found": true, "brand_id": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", \
			"accepts_unsigned_manual_events": false, "requires_timestamp": false}}""")
	record DebugAnswerSchema(@Schema(description = "Always true") boolean ok,
			@Schema(description = "The server's clock (ISO 8601)") String serverTime,
			@Schema(description = "The server's clock in Unix seconds, to compare with X-Resonance-Timestamp") long serverTimeUnix,
			@Schema(description = "Resonance's version") String version,
			@Schema(description = "With a body: valid, and the problem when it is not (POST only)") java.util.@Nullable Map<String, Object> body,
			@Schema(description = "named_by (brand_id, origin, host or nothing), found, and for a found brand its brand_id, "
					+ "accepts_unsigned_manual_events, requires_timestamp and origin_is_a_brand_domain") java.util.Map<String, Object> brand,
			@Schema(description = "With X-Resonance-Signature: valid, problem, and signed_string (with its length "
					+ "and SHA-256) when it does not verify") java.util.@Nullable Map<String, Object> signature) {
	}

}
