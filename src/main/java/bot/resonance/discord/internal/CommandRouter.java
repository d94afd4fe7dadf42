package bot.resonance.discord.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.CommandSpec;
import bot.resonance.discord.SlashCommand;
import bot.resonance.discord.Ui;
import bot.resonance.identity.Members;
import bot.resonance.platform.web.ApiException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The unified command router of seed 002: commands ({@code execute}), buttons and menus
 * ({@code executeComponent}) and forms ({@code executeModal}) go to the
 * {@link SlashCommand} they belong to, after checking the caller may use it there. A
 * refusal ({@link ApiException}) undoes what the command wrote and is told to the user.
 */
@Component
class CommandRouter {

	private static final Logger log = LoggerFactory.getLogger(CommandRouter.class);

	private final Map<String, SlashCommand> commands = new LinkedHashMap<>();

	private final TransactionTemplate transactions;

	CommandRouter(List<SlashCommand> commands, PlatformTransactionManager transactions) {
		commands.stream()
			.sorted(Comparator.comparing((SlashCommand command) -> command.spec().name()))
			.forEach((command) -> {
				if (this.commands.put(command.spec().name(), command) != null) {
					throw new IllegalStateException("Two commands are named " + command.spec().name());
				}
			});
		this.transactions = new TransactionTemplate(transactions);
	}

	/** Every command, by name. */
	List<SlashCommand> commands() {
		return List.copyOf(this.commands.values());
	}

	Answer route(CommandCall call) {
		String[] parts = (call.type() == 2) ? new String[] { call.name() } : call.name().split(":", -1);
		SlashCommand command = this.commands.get(parts[0]);
		if (command == null) {
			return Answer.ephemeral((call.type() == 2) ? "Unknown command /" + Ui.clip(call.name(), 32) + "."
					: "This button is not one Resonance knows any more.");
		}
		CommandSpec spec = command.spec();
		if (spec.guildOnly() && call.guildId() == null) {
			return Answer.ephemeral("/" + spec.name() + " works in a server: use it there.");
		}
		if (spec.access() == CommandSpec.Access.ADMINS && !call.isAdmin()) {
			return Answer.ephemeral("/" + spec.name()
					+ " is for the server's admins: it needs the Manage Server permission. Ask an admin.");
		}
		List<String> arguments = Arrays.asList(parts).subList(1, parts.length);
		try {
			return run(command, call, arguments);
		}
		catch (RuntimeException failed) {
			// A fault of ours, not the user's: what the command wrote is rolled back, and
			// Discord gets an answer rather than a 500 ("This interaction failed").
			log.error("/{} failed for user {} of brand {}", spec.name(), call.userId(), call.brand().brandId(), failed);
			return Answer.ephemeral("Something went wrong on our side; nothing was changed. Try again in a moment.");
		}
	}

	private Answer run(SlashCommand command, CommandCall call, List<String> arguments) {
		if (!command.spec().transactional()) {
			try {
				return dispatch(command, call, arguments);
			}
			catch (ApiException refused) {
				return Answer.ephemeral(refused.getMessage());
			}
		}
		return this.transactions.execute((status) -> {
			try {
				return dispatch(command, call, arguments);
			}
			catch (ApiException refused) {
				status.setRollbackOnly();
				return Answer.ephemeral(refused.getMessage());
			}
			catch (Members.ConcurrentMerge busy) {
				status.setRollbackOnly();
				return Answer.ephemeral(busy.getMessage());
			}
		});
	}

	private static Answer dispatch(SlashCommand command, CommandCall call, List<String> arguments) {
		return switch (call.type()) {
			case 2 -> command.execute(call);
			case 3 -> command.component(call, arguments);
			default -> command.modal(call, arguments);
		};
	}

}
