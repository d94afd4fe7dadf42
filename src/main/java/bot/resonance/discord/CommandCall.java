package bot.resonance.discord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.brands.Brand;
import bot.resonance.identity.Member;

/**
 * An interaction to answer, once the endpoint verified, deduplicated and resolved it.
 *
 * @param type 2 (command), 3 (component) or 5 (modal)
 * @param brand the tenant: the guild's brand, or in DMs the user's last registration
 * @param guildId the guild, absent in DMs
 * @param channelId the channel it was used in, if Discord said
 * @param userId the invoking user
 * @param member the user as the brand's member
 * @param permissions the invoker's permissions in the channel ({@code member.permissions}
 * as a bit set; 0 in DMs)
 * @param interaction the whole interaction as Discord sent it
 */
public record CommandCall(int type, Brand brand, @Nullable String guildId, @Nullable String channelId, String userId,
		Member member, long permissions, JsonNode interaction) {

	/** The interaction's {@code data}. */
	public JsonNode data() {
		return this.interaction.path("data");
	}

	/** The command's name (type 2) or the component's or form's custom id (type 3, 5). */
	public String name() {
		return (this.type == 2) ? data().path("name").asString("") : data().path("custom_id").asString("");
	}

	/** Whether the invoker may use admins' commands: Manage Server or Administrator. */
	public boolean isAdmin() {
		return this.guildId != null && (this.permissions & (CommandSpec.MANAGE_GUILD | CommandSpec.ADMINISTRATOR)) != 0;
	}

	/** The subcommand used, if the command has subcommands. */
	public Optional<String> subcommand() {
		return subcommandNode().map((sub) -> sub.path("name").asString(""));
	}

	/** An option's value (of the subcommand, if one was used). */
	public Optional<JsonNode> option(String name) {
		JsonNode options = subcommandNode().map((sub) -> sub.path("options")).orElse(data().path("options"));
		for (JsonNode option : options) {
			if (name.equals(option.path("name").asString("")) && !option.path("value").isNull()
					&& !option.path("value").isMissingNode()) {
				return Optional.of(option.path("value"));
			}
		}
		return Optional.empty();
	}

	/** A text option, trimmed; empty if not given or blank. */
	public Optional<String> text(String name) {
		return option(name).filter(JsonNode::isValueNode)
			.map((value) -> value.asString("").strip())
			.filter((value) -> !value.isEmpty());
	}

	/** A whole-number option; empty if not given or not a whole number. */
	public Optional<Long> number(String name) {
		return option(name).filter((value) -> value.isIntegralNumber() && value.canConvertToLong())
			.map(JsonNode::asLong);
	}

	/** The values chosen in a select menu (type 3). */
	public List<String> values() {
		List<String> values = new ArrayList<>();
		for (JsonNode value : data().path("values")) {
			if (value.isString()) {
				values.add(value.asString());
			}
		}
		return values;
	}

	/** What the user typed in a form's text input (type 5), by its custom id. */
	public Optional<String> field(String customId) {
		for (JsonNode row : data().path("components")) {
			for (JsonNode input : row.path("components")) {
				if (customId.equals(input.path("custom_id").asString("")) && input.path("value").isString()) {
					return Optional.of(input.path("value").asString());
				}
			}
			// Newer form layouts wrap the input in a label component.
			JsonNode labelled = row.path("component");
			if (customId.equals(labelled.path("custom_id").asString("")) && labelled.path("value").isString()) {
				return Optional.of(labelled.path("value").asString());
			}
		}
		return Optional.empty();
	}

	private Optional<JsonNode> subcommandNode() {
		for (JsonNode option : data().path("options")) {
			if (option.path("type").asInt(0) == CommandSpec.SUB_COMMAND) {
				return Optional.of(option);
			}
			if (option.path("type").asInt(0) == 2) {
				// A subcommand group: its subcommand is the one used.
				for (JsonNode sub : option.path("options")) {
					if (sub.path("type").asInt(0) == CommandSpec.SUB_COMMAND) {
						return Optional.of(sub);
					}
				}
			}
		}
		return Optional.empty();
	}

}
