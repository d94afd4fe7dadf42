package bot.resonance.discord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;

/**
 * Discord's message parts, built as its JSON: embeds in the brand's voice, action rows,
 * buttons, select menus and text inputs.
 */
public final class Ui {

	/** Button styles. */
	public static final int PRIMARY = 1;

	public static final int SECONDARY = 2;

	public static final int SUCCESS = 3;

	public static final int DANGER = 4;

	/** Resonance's colour, for embeds. */
	public static final int COLOUR = 0x5865F2;

	private Ui() {
	}

	/** An embed in the brand's voice: the brand's name as its author. */
	public static Map<String, Object> embed(Brand brand, String title, @Nullable String description,
			List<Map<String, Object>> fields) {
		Map<String, Object> embed = new LinkedHashMap<>();
		embed.put("author", Map.of("name", clip(brand.name(), 256)));
		embed.put("title", clip(title, 256));
		if (description != null && !description.isEmpty()) {
			embed.put("description", clip(description, 4096));
		}
		embed.put("color", COLOUR);
		embed.put("fields", fields.subList(0, Math.min(25, fields.size())));
		return embed;
	}

	/** An embed field (inline, side by side with its neighbours). */
	public static Map<String, Object> field(String name, String value) {
		return field(name, value, true);
	}

	public static Map<String, Object> field(String name, String value, boolean inline) {
		return Map.of("name", clip(name, 256), "value", clip(value.isEmpty() ? "—" : value, 1024), "inline", inline);
	}

	/** An action row: up to five buttons, or one select menu. */
	public static Map<String, Object> row(List<Map<String, Object>> components) {
		return Map.of("type", 1, "components", List.copyOf(components));
	}

	/** A button; its custom id starts with the command's name. */
	public static Map<String, Object> button(String label, String customId, int style) {
		return button(label, customId, style, false);
	}

	public static Map<String, Object> button(String label, String customId, int style, boolean disabled) {
		checkCustomId(customId);
		Map<String, Object> button = new LinkedHashMap<>();
		button.put("type", 2);
		button.put("style", style);
		button.put("label", clip(label, 80));
		button.put("custom_id", customId);
		button.put("disabled", disabled);
		return button;
	}

	/** A link button (style 5) that opens {@code url}. */
	public static Map<String, Object> link(String label, String url) {
		return Map.of("type", 2, "style", 5, "label", clip(label, 80), "url", url);
	}

	/** A string select menu of up to 25 options ({@link #choice}). */
	public static Map<String, Object> select(String customId, String placeholder, List<Map<String, Object>> choices) {
		checkCustomId(customId);
		Map<String, Object> select = new LinkedHashMap<>();
		select.put("type", 3);
		select.put("custom_id", customId);
		select.put("placeholder", clip(placeholder, 150));
		select.put("options", new ArrayList<>(choices.subList(0, Math.min(25, choices.size()))));
		select.put("min_values", 1);
		select.put("max_values", 1);
		return select;
	}

	/** An option of a select menu. */
	public static Map<String, Object> choice(String label, String value, @Nullable String description) {
		Map<String, Object> choice = new LinkedHashMap<>();
		choice.put("label", clip(label, 100));
		choice.put("value", clip(value, 100));
		if (description != null && !description.isEmpty()) {
			choice.put("description", clip(description, 100));
		}
		return choice;
	}

	/**
	 * A form's text input in its own action row: one line (style 1), or a paragraph (2).
	 */
	public static Map<String, Object> textInput(String customId, String label, @Nullable String value, boolean required,
			int maxLength) {
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("type", 4);
		input.put("custom_id", customId);
		input.put("style", 1);
		input.put("label", clip(label, 45));
		input.put("required", required);
		input.put("max_length", maxLength);
		if (value != null) {
			input.put("value", clip(value, maxLength));
		}
		return row(List.of(input));
	}

	/**
	 * Text cut to Discord's limit for where it goes (in UTF-16 units, as Discord counts),
	 * never between the two halves of a character such as an emoji.
	 */
	public static String clip(String text, int max) {
		if (text.length() <= max) {
			return text;
		}
		int end = max - 1;
		if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))) {
			end--;
		}
		return text.substring(0, end) + "…";
	}

	private static void checkCustomId(String customId) {
		if (customId.isEmpty() || customId.length() > 100) {
			throw new IllegalArgumentException("A custom id has 1 to 100 characters: " + customId);
		}
	}

}
