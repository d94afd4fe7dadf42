package bot.resonance.integrations.shopify;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.rewards.RewardEvents;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * A brand's Shopify settings: {@code /v1/integrations/shopify}.
 */
@RestController
@Tag(name = "Shopify")
@SecurityRequirement(name = "apiKey")
class ShopifySettingsController {

	static final String PATH = "/v1/integrations/shopify";

	/** Where Shopify sends a brand's webhooks. */
	static final String RECEIVER_PATH = PATH + "/{brand_id}";

	static final Set<String> FIELDS = Set.of("webhook_secret", "order_topic", "event_type", "enabled");

	private final ShopifyRepository repository;

	private final TransactionTemplate transactions;

	private final Clock clock;

	ShopifySettingsController(ShopifyRepository repository, PlatformTransactionManager transactionManager,
			Clock clock) {
		this.repository = repository;
		this.transactions = new TransactionTemplate(transactionManager);
		this.clock = clock;
	}

	@GetMapping(PATH)
	@Operation(summary = "Show the Shopify settings",
			description = "The secret is shown by its last four characters only. webhook_url is the address to paste into Shopify.")
	ShopifySettingsView get(AuthenticatedBrand caller) {
		return this.repository.settings(caller.brandId())
			.map(ShopifySettingsController::view)
			.orElseThrow(ShopifySettingsController::notConfigured);
	}

	@PutMapping(PATH)
	@Operation(summary = "Configure Shopify",
			description = "{\"webhook_secret\": \"...\", \"order_topic\": \"orders/paid\" | \"orders/create\", \"event_type\": \"place_order\", \"enabled\": true}. "
					+ "webhook_secret is required the first time; fields not sent keep their value (defaults: orders/paid, place_order, enabled). Answers 201 when created.")
	ResponseEntity<ShopifySettingsView> put(AuthenticatedBrand caller,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					schema = @Schema(implementation = ShopifySettingsChange.class))) @RequestBody JsonNode body) {
		JsonPatch patch = JsonPatch.of(body, FIELDS);
		String secret = patch.has("webhook_secret") ? secret(body.get("webhook_secret")) : null;
		String topic = null;
		if (patch.has("order_topic")) {
			topic = patch.string("order_topic", 32);
			if (!ShopifySettings.ORDER_TOPICS.contains(topic)) {
				throw ApiException.invalidRequest("Field 'order_topic' must be \"" + ShopifySettings.ORDERS_PAID
						+ "\" or \"" + ShopifySettings.ORDERS_CREATE + "\".");
			}
		}
		String eventType = null;
		if (patch.has("event_type")) {
			eventType = patch.string("event_type", 64);
			if (!RewardEvents.isValidTypeName(eventType)) {
				throw ApiException.invalidRequest(
						"Field 'event_type' must be an event type name: 1 to 64 characters of a-z, 0-9 and _.");
			}
		}
		Boolean enabled = patch.has("enabled") ? patch.bool("enabled") : null;
		String newSecret = secret;
		String newTopic = topic;
		String newType = eventType;
		Instant now = this.clock.instant();
		Saved saved = this.transactions.execute((status) -> {
			ShopifySettings current = this.repository.settingsForUpdate(caller.brandId()).orElse(null);
			if (current == null && newSecret == null) {
				throw ApiException.invalidRequest("Field 'webhook_secret' is required to configure Shopify: the "
						+ "secret Shopify shows under Settings → Notifications → Webhooks (\"Your webhooks will be "
						+ "signed with ...\"), or your app's client secret.");
			}
			ShopifySettings updated = new ShopifySettings(caller.brandId(),
					(newSecret != null) ? newSecret : current.webhookSecret(),
					(newTopic != null) ? newTopic
							: (current != null) ? current.orderTopic() : ShopifySettings.ORDERS_PAID,
					(newType != null) ? newType
							: (current != null) ? current.eventType() : ShopifySettings.DEFAULT_EVENT_TYPE,
					(enabled != null) ? enabled : (current == null || current.enabled()),
					(current != null) ? current.createdAt() : now, now);
			return new Saved(updated, this.repository.save(updated));
		});
		return ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK).body(view(saved.settings()));
	}

	@DeleteMapping(PATH)
	@Operation(summary = "Remove the Shopify settings",
			description = "Webhooks sent afterwards are answered 404. Rewards already paid are kept.")
	ResponseEntity<Void> delete(AuthenticatedBrand caller) {
		if (!this.repository.deleteSettings(caller.brandId())) {
			throw notConfigured();
		}
		return ResponseEntity.noContent().build();
	}

	/** A webhook secret: 8 to 256 visible ASCII characters, taken exactly as sent. */
	private static String secret(JsonNode node) {
		if (node == null || !node.isString()) {
			throw ApiException.invalidRequest("Field 'webhook_secret' must be a string.");
		}
		String secret = node.stringValue();
		if (secret.length() < 8 || secret.length() > 256 || !secret.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			throw ApiException.invalidRequest("Field 'webhook_secret' must be 8 to 256 visible ASCII characters "
					+ "(no spaces): the secret exactly as Shopify shows it.");
		}
		return secret;
	}

	private static ApiException notConfigured() {
		return ApiException.notFound("shopify_not_configured",
				"Shopify is not configured for this brand. PUT " + PATH + " with your webhook_secret first.");
	}

	private static ShopifySettingsView view(ShopifySettings settings) {
		String url = ServletUriComponentsBuilder.fromCurrentContextPath()
			.path(RECEIVER_PATH)
			.buildAndExpand(settings.brandId())
			.toUriString();
		return new ShopifySettingsView(settings.enabled(), settings.orderTopic(), settings.eventType(),
				settings.secretHint(), url, List.of(settings.orderTopic(), ShopifySettings.REFUNDS_CREATE),
				settings.createdAt(), settings.updatedAt());
	}

	private record Saved(ShopifySettings settings, boolean created) {
	}

	/** What PUT accepts; every field is optional once configured. */
	record ShopifySettingsChange(@Nullable String webhookSecret, @Nullable String orderTopic,
			@Nullable String eventType, @Nullable Boolean enabled) {
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
