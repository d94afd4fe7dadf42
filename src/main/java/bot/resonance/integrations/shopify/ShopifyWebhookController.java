package bot.resonance.integrations.shopify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.platform.crypto.HmacKey;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.HttpProperties;
import bot.resonance.platform.web.JsonLimits;
import bot.resonance.platform.web.RequestBodies;
import bot.resonance.platform.web.TextChecks;
import bot.resonance.platform.web.Utf8;
import bot.resonance.platform.logging.Failures;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/integrations/shopify/{brand_id}}: where a shop sends its webhooks.
 * Authenticated by Shopify's signature, not by an API key: {@code X-Shopify-Hmac-Sha256}
 * is the base64 HMAC-SHA256 of the raw body keyed with the shop's webhook secret.
 */
@RestController
@Tag(name = "Shopify", description = "Shopify's order webhooks, received natively.")
class ShopifyWebhookController {

	private static final Logger log = LoggerFactory.getLogger(ShopifyWebhookController.class);

	static final String HMAC_HEADER = "X-Shopify-Hmac-Sha256";

	static final String TOPIC_HEADER = "X-Shopify-Topic";

	static final String WEBHOOK_ID_HEADER = "X-Shopify-Webhook-Id";

	static final String SHOP_HEADER = "X-Shopify-Shop-Domain";

	private final ShopifyRepository repository;

	private final ShopifyWebhooks webhooks;

	private final Brands brands;

	private final HttpProperties http;

	private final JsonMapper json;

	ShopifyWebhookController(ShopifyRepository repository, ShopifyWebhooks webhooks, Brands brands, HttpProperties http,
			JsonMapper json) {
		this.repository = repository;
		this.webhooks = webhooks;
		this.brands = brands;
		this.http = http;
		this.json = json;
	}

	@PostMapping(ShopifySettingsController.RECEIVER_PATH)
	@Operation(operationId = "receiveShopifyWebhook", summary = "Receive a Shopify webhook",
			description = "Paste this URL into Shopify (Settings → Notifications → Webhooks) for the order topic you configured and for refunds/create. "
					+ "The order topic rewards the customer's email with the configured event type (once per order); refunds/create reverses the reward in proportion; other topics are acknowledged and ignored. "
					+ "Answers 200 {\"received\": true, \"event_id\"?, \"outcome\", \"duplicate\"?, \"note\"?} for everything Shopify should not send again.",
			parameters = { @Parameter(name = HMAC_HEADER, in = ParameterIn.HEADER, required = true,
					description = "Base64 HMAC-SHA256 of the raw body, keyed with the UTF-8 bytes of the shop's webhook secret"),
					@Parameter(name = TOPIC_HEADER, in = ParameterIn.HEADER, required = true,
							description = "orders/paid, orders/create, refunds/create, ..."),
					@Parameter(name = WEBHOOK_ID_HEADER, in = ParameterIn.HEADER, required = true,
							description = "Shopify's id of the delivery; a repeat is answered without acting"),
					@Parameter(name = SHOP_HEADER, in = ParameterIn.HEADER,
							description = "The shop's myshopify.com domain") },
			responses = { @ApiResponse(responseCode = "200", description = "Received (acted on, ignored or a repeat)"),
					@ApiResponse(responseCode = "400",
							description = "invalid_request: malformed JSON, headers or payload"),
					@ApiResponse(responseCode = "401", description = "invalid_signature"),
					@ApiResponse(responseCode = "404",
							description = "shopify_not_configured: no such brand, or no Shopify settings"),
					@ApiResponse(responseCode = "413", description = "payload_too_large"),
					@ApiResponse(responseCode = "429",
							description = "rate_limited (the brand's event rate limit), with Retry-After"),
					@ApiResponse(responseCode = "503", description = "service_unavailable: retry later") })
	Map<String, Object> receive(@PathVariable("brand_id") String brandId, HttpServletRequest request)
			throws IOException {
		byte[] body = RequestBodies.read(request, this.http.maxBodySize().toBytes());
		try {
			Optional<ShopifySettings> settings = this.repository.settings(brandId);
			Optional<Brand> brand = settings.isPresent() ? this.brands.find(brandId) : Optional.empty();
			if (settings.isEmpty() || brand.isEmpty()) {
				throw ApiException.notFound("shopify_not_configured", "No brand " + brandId
						+ " has Shopify configured. Configure it with PUT /v1/integrations/shopify first.");
			}
			if (!verifies(settings.get().webhookSecret(), body, request.getHeader(HMAC_HEADER))) {
				throw new ApiException(HttpStatus.UNAUTHORIZED, "invalid_signature", HMAC_HEADER
						+ " must be the base64 HMAC-SHA256 of the raw body, keyed with the webhook secret configured "
						+ "for this brand (Shopify admin → Settings → Notifications → Webhooks).");
			}
			ShopifyWebhooks.Delivery delivery = new ShopifyWebhooks.Delivery(requiredHeader(request, TOPIC_HEADER),
					requiredHeader(request, WEBHOOK_ID_HEADER), header(request, SHOP_HEADER), parse(body));
			return this.webhooks.handle(brand.get(), settings.get(), delivery);
		}
		catch (DataAccessException ex) {
			Failures.warn(log, ex, "Shopify webhook for brand {} could not be processed", brandId);
			throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable",
					"The webhook could not be processed now; retry later.")
				.withHeader(HttpHeaders.RETRY_AFTER, "1");
		}
	}

	/**
	 * Whether {@code signature} is the base64 HMAC-SHA256 of {@code body} keyed with the
	 * secret's UTF-8 bytes, compared in constant time.
	 */
	static boolean verifies(String secret, byte[] body, @Nullable String signature) {
		if (signature == null || signature.isBlank()) {
			return false;
		}
		byte[] given;
		try {
			given = Base64.getDecoder().decode(signature.strip());
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		return MessageDigest.isEqual(HmacKey.of(secret).sign(body), given);
	}

	private JsonNode parse(byte[] body) {
		Utf8.require(body);
		try {
			JsonNode node = this.json.readTree(body);
			if (node == null || !node.isObject()) {
				throw ApiException.invalidRequest("The body must be a JSON object, as Shopify sends it.");
			}
			return node;
		}
		catch (JacksonException ex) {
			String limits = JsonLimits.problem(ex);
			throw ApiException.invalidRequest((limits != null) ? limits : "The body is not valid JSON.");
		}
	}

	private static String requiredHeader(HttpServletRequest request, String name) {
		String value = header(request, name);
		if (value == null) {
			throw ApiException.invalidRequest(name + " is required: Shopify sends it with every webhook.");
		}
		return value;
	}

	private static @Nullable String header(HttpServletRequest request, String name) {
		String value = request.getHeader(name);
		if (value == null || value.isBlank()) {
			return null;
		}
		value = value.strip();
		if (value.length() > 255 || !TextChecks.isStorable(value) || value.chars().anyMatch((c) -> c < 0x20)) {
			throw ApiException.invalidRequest(name + " must be at most 255 printable characters.");
		}
		return value;
	}

}
