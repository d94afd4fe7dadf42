package bot.resonance.discord.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Interaction responses in Discord's format: type 4 (a message; ephemeral ones carry
 * {@code flags: 64}) with content, embeds and components.
 */
final class Reply {

	static final int EPHEMERAL = 64;

	private Reply() {
	}

	/** An ephemeral message only the invoking user sees. */
	static Map<String, Object> ephemeral(String content) {
		return message(content, List.of(), List.of());
	}

	static Map<String, Object> message(String content, List<Map<String, Object>> embeds,
			List<Map<String, Object>> components) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("content", content);
		data.put("embeds", embeds);
		data.put("components", components);
		data.put("flags", EPHEMERAL);
		return Map.of("type", 4, "data", data);
	}

	/** An embed in the brand's voice: its name in the title. */
	static Map<String, Object> embed(String title, String description, List<Map<String, Object>> fields) {
		Map<String, Object> embed = new LinkedHashMap<>();
		embed.put("title", title);
		embed.put("description", description);
		embed.put("color", 0x5865F2);
		embed.put("fields", fields);
		return embed;
	}

	static Map<String, Object> field(String name, String value) {
		return Map.of("name", name, "value", value, "inline", true);
	}

	/** An action row of buttons: (label, custom_id, style) each. */
	static Map<String, Object> buttons(List<Button> buttons) {
		List<Map<String, Object>> components = new ArrayList<>();
		for (Button button : buttons) {
			components.add(Map.of("type", 2, "style", button.style(), "label", button.label(), "custom_id",
					button.customId()));
		}
		return Map.of("type", 1, "components", components);
	}

	/** A button: style 3 is green (success), 4 red (danger), 2 grey. */
	record Button(String label, String customId, int style) {
	}

}
