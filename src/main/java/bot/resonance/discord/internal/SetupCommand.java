package bot.resonance.discord.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.CommandSpec;
import bot.resonance.discord.SlashCommand;
import org.springframework.stereotype.Component;

/**
 * {@code /setup code:…} (admins): connects the server to the brand whose setup code it
 * is. In a server no brand has yet there is no tenant, so the endpoint hands the command
 * to {@link #connect} before the steps that need one; in a connected server it runs as
 * any command and says which brand the server belongs to.
 */
@Component
class SetupCommand implements SlashCommand {

	static final String NAME = "setup";

	private static final CommandSpec SPEC;

	static {
		Map<String, Object> code = CommandSpec.option(CommandSpec.STRING, "code", "The setup code, like 7K3M-Q9TX",
				true);
		code.put("max_length", 32);
		SPEC = CommandSpec.forAdmins(NAME, "Connect this server to your brand with the setup code from its dashboard",
				List.of(code));
	}

	private final SetupCodes codes;

	private final Brands brands;

	SetupCommand(SetupCodes codes, Brands brands) {
		this.codes = codes;
		this.brands = brands;
	}

	@Override
	public CommandSpec spec() {
		return SPEC;
	}

	/** In a connected server: which brand it is, and that a code changes nothing. */
	@Override
	public Answer execute(CommandCall call) {
		return Answer.ephemeral("This server is already connected to **" + call.brand().name()
				+ "** on Resonance; the code was not used. One server belongs to one brand: to connect it to "
				+ "another brand, the Resonance operator unbinds it from " + call.brand().name() + " first.");
	}

	/**
	 * {@code /setup} in a server no brand has: checks the invoker is an admin of it, and
	 * binds it to the code's brand.
	 * @param interaction the interaction as Discord sent it
	 * @param payload its raw text, for the interaction log
	 */
	Answer connect(String interactionId, String guildId, String userId, long permissions, JsonNode interaction,
			String payload) {
		if ((permissions & (CommandSpec.MANAGE_GUILD | CommandSpec.ADMINISTRATOR)) == 0) {
			return Answer.ephemeral("/setup is for the server's admins: it needs the Manage Server permission. "
					+ "Ask an admin to connect this server.");
		}
		String code = code(interaction);
		if (code.isEmpty()) {
			return Answer.ephemeral("Give the setup code: /setup code:XXXX-XXXX. The brand gets one from its "
					+ "dashboard (or POST /v1/discord/setup-codes).");
		}
		SetupCodes.Outcome outcome = this.codes.connect(guildId, userId, code, interactionId, payload);
		return switch (outcome) {
			case SetupCodes.Outcome.Connected connected -> {
				String name = this.brands.find(connected.brandId()).map(Brand::name).orElse("the brand");
				yield Answer.ephemeral("Connected: this server belongs to **" + name + "** on Resonance now, and the "
						+ "setup code is used up. Members can run /register; /help lists the commands.");
			}
			case SetupCodes.Outcome.Wrong wrong -> Answer.ephemeral("That setup code is not valid. Check it "
					+ "(it looks like 7K3M-Q9TX) or get a new one from the brand's dashboard, then run /setup again.");
			case SetupCodes.Outcome.Used used -> Answer.ephemeral(
					"That setup code was used already: each code connects one server, once. Get a new one from the "
							+ "brand's dashboard and run /setup again.");
			case SetupCodes.Outcome.Expired expired -> Answer.ephemeral("That setup code expired "
					+ relative(expired.at()) + ". Get a new one from the brand's dashboard and run /setup again.");
			case SetupCodes.Outcome.BoundElsewhere elsewhere -> Answer.ephemeral(
					"This server was just connected to another brand, so the code was not used. One server belongs "
							+ "to one brand: the Resonance operator can unbind it.");
			case SetupCodes.Outcome.TooManyTries tries ->
				Answer.ephemeral("Too many wrong setup codes were tried, in this server or by you: try again "
						+ relative(tries.retryAt()) + ", with a code copied from the brand's dashboard.");
		};
	}

	private static String code(JsonNode interaction) {
		for (JsonNode option : interaction.path("data").path("options")) {
			if ("code".equals(option.path("name").asString("")) && option.path("value").isString()) {
				return option.path("value").asString().strip();
			}
		}
		return "";
	}

	private static String relative(Instant at) {
		return "<t:" + at.getEpochSecond() + ":R>";
	}

}
