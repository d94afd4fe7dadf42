package bot.resonance.webhooks.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Every event Resonance sends, with a description, the JSON Schema of its body and an
 * example (what the Test button sends). Read from {@code webhooks/catalogue.json}.
 */
@Component
public class WebhookCatalogue {

	private final Map<String, Entry> entries = new LinkedHashMap<>();

	WebhookCatalogue(JsonMapper json) {
		try (InputStream in = new ClassPathResource("webhooks/catalogue.json").getInputStream()) {
			for (JsonNode event : json.readTree(in)) {
				String name = event.get("name").asString();
				this.entries.put(name, new Entry(name, event.get("description").asString(), event.get("schema"),
						event.get("example")));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The webhook catalogue is part of the application", ex);
		}
	}

	public List<Entry> all() {
		return List.copyOf(this.entries.values());
	}

	public Optional<Entry> find(String name) {
		return Optional.ofNullable(this.entries.get(name));
	}

	public boolean contains(String name) {
		return this.entries.containsKey(name);
	}

	/** The message id of the examples shown to readers. */
	static final String EXAMPLE_MESSAGE_ID = "msg_01JD8Q3ZK6W5T2R9XA4B7C1N0M";

	/**
	 * An event of the catalogue.
	 *
	 * @param name the event name ({@code reward.earned})
	 * @param description what it means and when it is sent
	 * @param schema the JSON Schema of the body
	 * @param example an example body (without {@code id}: each message gets its own)
	 */
	public record Entry(String name, String description, JsonNode schema, JsonNode example) {

		/**
		 * The example as a reader sees it ({@code GET /v1/webhook-events}, the OpenAPI
		 * document): a whole message, its {@code id} first, so it fits its schema.
		 */
		public ObjectNode shownExample() {
			ObjectNode shown = JsonNodeFactory.instance.objectNode();
			shown.put("id", EXAMPLE_MESSAGE_ID);
			shown.setAll((ObjectNode) this.example.deepCopy());
			return shown;
		}

	}

}
