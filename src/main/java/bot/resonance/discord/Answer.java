package bot.resonance.discord;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How a command answers, in Discord's interaction response types: a message (type 4), an
 * update of the message a button is on (type 7), a form (type 9), or a deferred answer
 * (type 5) finished later through the interaction's webhook.
 */
public sealed interface Answer {

	/**
	 * A message.
	 *
	 * @param content its text (up to 2000 characters)
	 * @param embeds embeds ({@link Ui#embed}), up to 10
	 * @param components action rows ({@link Ui#row}), up to 5
	 * @param ephemeral whether only the invoking user sees it ({@code flags: 64})
	 */
	record Message(String content, List<Map<String, Object>> embeds, List<Map<String, Object>> components,
			boolean ephemeral) implements Answer {

		public Message {
			embeds = List.copyOf(embeds);
			components = List.copyOf(components);
		}

	}

	/** Replaces the message the button or menu is on (type 7): paging, for one. */
	record Update(Message message) implements Answer {
	}

	/**
	 * A form (type 9).
	 *
	 * @param customId the form's custom id: the command's name first
	 * @param title up to 45 characters
	 * @param rows action rows of text inputs ({@link Ui#textInput})
	 */
	record Modal(String customId, String title, List<Map<String, Object>> rows) implements Answer {
	}

	/**
	 * An answer that may take longer than Discord's three seconds (it calls something
	 * outside): Discord is told at once that it is coming (type 5), and what {@code work}
	 * returns, run right after, replaces that through the interaction's webhook. Work
	 * that throws an {@link bot.resonance.platform.web.ApiException} is answered with its
	 * message.
	 */
	record Deferred(boolean ephemeral, Supplier<Message> work) implements Answer {
	}

	/** A message only the invoking user sees. */
	static Message ephemeral(String content) {
		return new Message(content, List.of(), List.of(), true);
	}

	/** A message only the invoking user sees, with embeds and components. */
	static Message ephemeral(String content, List<Map<String, Object>> embeds, List<Map<String, Object>> components) {
		return new Message(content, embeds, components, true);
	}

	/** A message everyone in the channel sees. */
	static Message visible(String content, List<Map<String, Object>> embeds, List<Map<String, Object>> components) {
		return new Message(content, embeds, components, false);
	}

}
