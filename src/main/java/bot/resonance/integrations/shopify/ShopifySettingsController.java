package bot.resonance.integrations.shopify;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.integrations.ShopifyIntegration;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * A brand's Shopify settings: {@code /v1/integrations/shopify}, over
 * {@link ShopifyIntegration} (which the portal's integrations page uses too).
 */
@RestController
@Tag(name = "Shopify")
@SecurityRequirement(name = "apiKey")
class ShopifySettingsController {

	static final String PATH = "/v1/integrations/shopify";

	/** Where Shopify sends a brand's webhooks. */
	static final String RECEIVER_PATH = ShopifyIntegration.RECEIVER_PATH;

	private final ShopifyIntegration shopify;

	ShopifySettingsController(ShopifyIntegration shopify) {
		this.shopify = shopify;
	}

	@GetMapping(PATH)
	@Operation(operationId = "getShopifySettings", summary = "Show the Shopify settings",
			responses = @ApiResponse(responseCode = "200",
					description = "The settings, with the secret's last four characters and the URL for Shopify"),
			description = "The secret is shown by its last four characters only. webhook_url is the address to paste into Shopify.")
	ShopifySettingsView get(AuthenticatedBrand caller) {
		return this.shopify.settings(caller.brandId())
			.map(ShopifySettingsController::view)
			.orElseThrow(ShopifySettingsController::notConfigured);
	}

	@PutMapping(PATH)
	@Operation(operationId = "putShopifySettings", summary = "Configure Shopify",
			responses = { @ApiResponse(responseCode = "200", description = "Changed"),
					@ApiResponse(responseCode = "201", description = "Configured") },
			description = "{\"webhook_secret\": \"...\", \"order_topic\": \"orders/paid\" | \"orders/create\", \"event_type\": \"place_order\", \"enabled\": true}. "
					+ "webhook_secret is required the first time; fields not sent keep their value (defaults: orders/paid, place_order, enabled). Answers 201 when created.")
	ResponseEntity<ShopifySettingsView> put(AuthenticatedBrand caller,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					schema = @Schema(implementation = ShopifySettingsChange.class))) @RequestBody JsonNode body) {
		ShopifyIntegration.Saved saved = this.shopify.configure(caller.brandId(),
				JsonPatch.of(body, ShopifyIntegration.FIELDS));
		return ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK).body(view(saved.settings()));
	}

	@DeleteMapping(PATH)
	@Operation(operationId = "deleteShopifySettings", summary = "Remove the Shopify settings",
			description = "Webhooks sent afterwards are answered 404. Rewards already paid are kept.",
			responses = @ApiResponse(responseCode = "204", description = "Removed"))
	ResponseEntity<Void> delete(AuthenticatedBrand caller) {
		if (!this.shopify.remove(caller.brandId())) {
			throw notConfigured();
		}
		return ResponseEntity.noContent().build();
	}

	private static ApiException notConfigured() {
		return ApiException.notFound("shopify_not_configured",
				"Shopify is not configured for this brand. PUT " + PATH + " with your webhook_secret first.");
	}

	private static ShopifySettingsView view(ShopifyIntegration.Settings settings) {
		String url = ServletUriComponentsBuilder.fromCurrentContextPath()
			.path(RECEIVER_PATH)
			.buildAndExpand(settings.brandId())
			.toUriString();
		return new ShopifySettingsView(settings.enabled(), settings.orderTopic(), settings.eventType(),
				settings.webhookSecretLast4(), url, settings.topics(), settings.createdAt(), settings.updatedAt());
	}

	/** What PUT accepts; every field is optional once configured. */
	@Schema(example = """
			{"webhook_secret": "shpss_0123456789abcdef", "order_topic": "orders/paid", "event_type": "place_order", \
			"enabled": true}""")
	record ShopifySettingsChange(@Schema(
			description = "The shop's webhook signing secret (Shopify: Settings, Notifications, Webhooks)") @Nullable String webhookSecret,
			@Schema(description = "The order webhook that rewards: orders/paid or orders/create") @Nullable String orderTopic,
			@Schema(description = "The event type an order becomes") @Nullable String eventType,
			@Schema(description = "Whether webhooks are acted on") @Nullable Boolean enabled) {
	}

	/**
	 * A brand's Shopify settings.
	 *
	 * @param enabled whether webhooks are acted on
	 * @param orderTopic the order webhook that rewards
	 * @param eventType the event type an order becomes
	 * @param webhookSecretLast4 the last four characters of the webhook secret
	 * @param webhookUrl the URL to paste into Shopify
	 * @param topics the topics to subscribe that URL to
	 * @param createdAt when it was configured
	 * @param updatedAt when it last changed
	 */
	record ShopifySettingsView(boolean enabled, String orderTopic, String eventType, String webhookSecretLast4,
			String webhookUrl, List<String> topics, Instant createdAt, Instant updatedAt) {
	}

}
