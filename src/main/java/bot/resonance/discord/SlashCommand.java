package bot.resonance.discord;

import java.util.List;
import java.util.Set;

/**
 * A slash command of the bot, with the buttons, menus and forms it puts on its messages.
 * Every bean of this type is a command: the interactions endpoint routes to it, command
 * registration sends its {@link #spec()} to Discord, and {@code /help} lists it for those
 * who may use it.
 *
 * <p>
 * A component or modal belongs to the command whose name starts its {@code custom_id}:
 * {@code history:page:2} is {@code history}'s, and reaches {@link #component} with the
 * arguments {@code ["page", "2"]}. A custom id has at most 100 characters.
 *
 * <p>
 * Refusals the user can act on are {@link Answer#ephemeral(String) ephemeral messages}
 * that say what to do; a {@link bot.resonance.platform.web.ApiException} thrown by a
 * command becomes one too, and undoes what the command wrote.
 */
public interface SlashCommand {

	/** The command's name, description, options and who may use it. */
	CommandSpec spec();

	/**
	 * The subcommands that work only in a server (the command itself may also work in
	 * DMs): {@code /help} leaves them out of its list in DMs.
	 */
	default Set<String> guildOnlySubcommands() {
		return Set.of();
	}

	/** Answers the command (interaction type 2). */
	Answer execute(CommandCall call);

	/** Answers a button or select menu of this command (type 3). */
	default Answer component(CommandCall call, List<String> arguments) {
		return Answer.ephemeral("This button is not one Resonance knows any more. Run /" + spec().name() + " again.");
	}

	/** Answers a form of this command (type 5). */
	default Answer modal(CommandCall call, List<String> arguments) {
		return Answer.ephemeral("This form is not one Resonance knows any more. Run /" + spec().name() + " again.");
	}

}
