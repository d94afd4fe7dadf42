package bot.resonance.discord.internal;

import java.util.List;

import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.CommandSpec;
import bot.resonance.discord.SlashCommand;
import bot.resonance.identity.Members;
import bot.resonance.identity.Person;
import org.springframework.stereotype.Component;

/**
 * {@code /register}: makes the user a member of the server's brand (using any command
 * does too) and, in DMs, tells them which brand their DMs go to.
 */
@Component
class RegisterCommand implements SlashCommand {

	private static final CommandSpec SPEC = CommandSpec.forMembers("register",
			"Join this server's rewards and see your Resonance wallet", List.of());

	private final Members members;

	RegisterCommand(Members members) {
		this.members = members;
	}

	@Override
	public CommandSpec spec() {
		return SPEC;
	}

	@Override
	public Answer execute(CommandCall call) {
		Person person = this.members.person(call.member().personId()).orElseThrow();
		return Answer.ephemeral("You are registered with " + call.brand().name() + ". Your Resonance wallet: `"
				+ person.address() + "`.");
	}

}
