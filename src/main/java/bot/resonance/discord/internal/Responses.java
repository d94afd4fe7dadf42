package bot.resonance.discord.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import bot.resonance.discord.Answer;

/** Answers in Discord's interaction response format. */
final class Responses {

	static final int EPHEMERAL = 64;

	private Responses() {
	}

	static Map<String, Object> ephemeral(String content) {
		return render(Answer.ephemeral(content));
	}

	/** The response body for an answer ({@link Answer.Deferred} is type 5). */
	static Map<String, Object> render(Answer answer) {
		return switch (answer) {
			case Answer.Message message -> Map.of("type", 4, "data", message(message));
			case Answer.Update update -> Map.of("type", 7, "data", message(update.message()));
			case Answer.Modal modal -> Map.of("type", 9, "data",
					Map.of("custom_id", modal.customId(), "title", modal.title(), "components", modal.rows()));
			case Answer.Deferred deferred ->
				Map.of("type", 5, "data", Map.of("flags", deferred.ephemeral() ? EPHEMERAL : 0));
		};
	}

	/** A message's fields, as a response's data or an edit of the original response. */
	static Map<String, Object> message(Answer.Message message) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("content", message.content());
		data.put("embeds", message.embeds());
		data.put("components", message.components());
		data.put("flags", message.ephemeral() ? EPHEMERAL : 0);
		data.put("allowed_mentions", Map.of("parse", java.util.List.of()));
		return data;
	}

}
