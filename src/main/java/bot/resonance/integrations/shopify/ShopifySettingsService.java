package bot.resonance.integrations.shopify;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

import bot.resonance.integrations.ShopifyIntegration;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.rewards.RewardEvents;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link ShopifyIntegration} over the brand's {@code shopify_settings} row.
 */
@Service
class ShopifySettingsService implements ShopifyIntegration {

	private final ShopifyRepository repository;

	private final TransactionTemplate transactions;

	private final Clock clock;

	ShopifySettingsService(ShopifyRepository repository, PlatformTransactionManager transactionManager, Clock clock) {
		this.repository = repository;
		this.transactions = new TransactionTemplate(transactionManager);
		this.clock = clock;
	}

	@Override
	public Optional<Settings> settings(String brandId) {
		return this.repository.settings(brandId).map(ShopifySettingsService::view);
	}

	@Override
	public Saved configure(String brandId, JsonPatch patch) {
		String secret = patch.has("webhook_secret") ? secret(patch.node("webhook_secret")) : null;
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
		return this.transactions.execute((status) -> {
			ShopifySettings current = this.repository.settingsForUpdate(brandId).orElse(null);
			if (current == null && newSecret == null) {
				throw ApiException.invalidRequest("Field 'webhook_secret' is required to configure Shopify: the "
						+ "secret Shopify shows under Settings → Notifications → Webhooks (\"Your webhooks will be "
						+ "signed with ...\"), or your app's client secret.");
			}
			ShopifySettings updated = new ShopifySettings(brandId,
					(newSecret != null) ? newSecret : current.webhookSecret(),
					(newTopic != null) ? newTopic
							: (current != null) ? current.orderTopic() : ShopifySettings.ORDERS_PAID,
					(newType != null) ? newType
							: (current != null) ? current.eventType() : ShopifySettings.DEFAULT_EVENT_TYPE,
					(enabled != null) ? enabled : (current == null || current.enabled()),
					(current != null) ? current.createdAt() : now, now);
			return new Saved(view(updated), this.repository.save(updated));
		});
	}

	@Override
	public boolean remove(String brandId) {
		return this.repository.deleteSettings(brandId);
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

	private static Settings view(ShopifySettings settings) {
		return new Settings(settings.brandId(), settings.enabled(), settings.orderTopic(), settings.eventType(),
				settings.secretHint(), List.of(settings.orderTopic(), ShopifySettings.REFUNDS_CREATE),
				settings.createdAt(), settings.updatedAt());
	}

}
