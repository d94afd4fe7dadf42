package bot.resonance.webhooks.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.platform.Transactions;
import bot.resonance.platform.ids.IdGenerator;
import org.springframework.stereotype.Service;

/**
 * Publishes catalogue events to a brand's webhook endpoints. Call it inside the
 * transaction that makes the change the event tells of: the messages and their deliveries
 * are written in that transaction (an outbox), so they exist exactly when the change
 * does, and are delivered after it commits.
 */
@Service
public class Webhooks {

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final WebhookDirectory directory;

	private final OutboxRepository outbox;

	private final WebhookCatalogue catalogue;

	private final IdGenerator ids;

	private final JsonMapper json;

	private final Clock clock;

	Webhooks(WebhookDirectory directory, OutboxRepository outbox, WebhookCatalogue catalogue, IdGenerator ids,
			JsonMapper json, Clock clock) {
		this.directory = directory;
		this.outbox = outbox;
		this.catalogue = catalogue;
		this.ids = ids;
		this.json = json;
		this.clock = clock;
	}

	/** Publishes events; those no endpoint of their brand subscribes to are dropped. */
	public void publish(List<Publication> publications) {
		Transactions.requireActive("Publishing webhook events");
		Instant now = this.clock.instant();
		List<OutboxRepository.Message> messages = new ArrayList<>();
		List<OutboxRepository.Delivery> deliveries = new ArrayList<>();
		for (Publication publication : publications) {
			if (!this.catalogue.contains(publication.event())) {
				throw new IllegalArgumentException("Not a catalogue event: " + publication.event());
			}
			var targets = this.directory.forBrand(publication.brandId())
				.endpoints()
				.stream()
				.filter((configured) -> configured.endpoint().subscribes(publication.event()))
				.filter((configured) -> !configured.endpoint().id().equals(publication.notTo()))
				.toList();
			if (targets.isEmpty()) {
				continue;
			}
			String messageId = this.ids.prefixed("msg_");
			messages.add(new OutboxRepository.Message(publication.brandId(), messageId, publication.event(),
					body(messageId, publication, now)));
			for (var target : targets) {
				deliveries.add(new OutboxRepository.Delivery(publication.brandId(), this.ids.prefixed("dlv_"),
						target.endpoint().id(), messageId, publication.event(),
						target.endpoint().active() ? "pending" : "held"));
			}
		}
		this.outbox.enqueue(messages, deliveries, now);
	}

	public void publish(Publication publication) {
		publish(List.of(publication));
	}

	private String body(String messageId, Publication publication, Instant now) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", messageId);
		body.put("event", publication.event());
		body.put("guildId", publication.guildId());
		body.put("timestamp", timestamp(now));
		body.put("data", publication.data());
		body.putAll(publication.topLevel());
		return this.json.writeValueAsString(body);
	}

	/** A time as webhook bodies show it: {@code 2026-04-14T19:00:00.000Z}. */
	public static String timestamp(Instant instant) {
		return TIMESTAMP.format(instant);
	}

	/**
	 * An event to publish.
	 *
	 * @param brandId the brand whose endpoints receive it
	 * @param event the catalogue event ({@code duel.finish})
	 * @param guildId the Discord guild it concerns, if any
	 * @param data the event's data
	 * @param topLevel more top-level fields of the body, for receivers of older formats
	 * @param notTo an endpoint the event is about and not for ({@code webhook.disabled}
	 * goes to the brand's other endpoints), if any
	 */
	public record Publication(String brandId, String event, @Nullable String guildId, Object data,
			Map<String, Object> topLevel, @Nullable UUID notTo) {

		public Publication(String brandId, String event, @Nullable String guildId, Object data,
				Map<String, Object> topLevel) {
			this(brandId, event, guildId, data, topLevel, null);
		}

		public Publication(String brandId, String event, @Nullable String guildId, Object data) {
			this(brandId, event, guildId, data, Map.of(), null);
		}

	}

}
