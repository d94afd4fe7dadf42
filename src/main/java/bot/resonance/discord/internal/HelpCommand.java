package bot.resonance.discord.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.CommandSpec;
import bot.resonance.discord.SlashCommand;
import bot.resonance.discord.Ui;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code /help}: the commands the caller may use where they are, with their descriptions
 * and subcommands; admins also see the admins' commands, DMs show only what works in DMs.
 * The commands are read when asked (this command is one of them).
 */
@Component
class HelpCommand implements SlashCommand {

	private static final CommandSpec SPEC = CommandSpec.forMembers("help", "What you can do with Resonance here",
			List.of());

	private final ObjectProvider<SlashCommand> commands;

	HelpCommand(ObjectProvider<SlashCommand> commands) {
		this.commands = commands;
	}

	@Override
	public CommandSpec spec() {
		return SPEC;
	}

	@Override
	public Answer execute(CommandCall call) {
		// The provider leaves out the bean asking: this command.
		boolean dm = call.guildId() == null;
		List<SlashCommand> usable = Stream.concat(Stream.of((SlashCommand) this), this.commands.stream())
			.distinct()
			.filter((command) -> !dm || !command.spec().guildOnly())
			.filter((command) -> command.spec().access() == CommandSpec.Access.MEMBERS || call.isAdmin())
			.sorted(Comparator.comparing((SlashCommand command) -> command.spec().access() == CommandSpec.Access.ADMINS)
				.thenComparing((command) -> command.spec().name()))
			.toList();
		List<Map<String, Object>> fields = new ArrayList<>();
		for (SlashCommand command : usable) {
			CommandSpec spec = command.spec();
			StringBuilder value = new StringBuilder(spec.description());
			for (Map<String, Object> option : spec.options()) {
				if (Integer.valueOf(CommandSpec.SUB_COMMAND).equals(option.get("type"))
						&& !(dm && command.guildOnlySubcommands().contains(String.valueOf(option.get("name"))))) {
					value.append("\n• `/")
						.append(spec.name())
						.append(' ')
						.append(option.get("name"))
						.append("`: ")
						.append(option.get("description"));
				}
			}
			String name = "/" + spec.name() + ((spec.access() == CommandSpec.Access.ADMINS) ? " (admins)" : "");
			fields.add(Ui.field(name, value.toString(), false));
		}
		String description = (call.guildId() == null)
				? "The commands that work in DMs with the bot; more work in " + call.brand().name() + "'s servers."
				: call.isAdmin() ? "Everything you can use here, the admins' commands included."
						: "Everything you can use here.";
		return Answer.ephemeral("", List.of(Ui.embed(call.brand(), call.brand().name() + " — commands", description,
				fields.subList(0, Math.min(25, fields.size())))), List.of());
	}

}
