package bot.resonance.discord.internal;

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
 * @param userId the invoking user
 * @param member the user as the brand's member
 * @param data the interaction's {@code data}
 */
record Invocation(int type, Brand brand, @Nullable String guildId, String userId, Member member, JsonNode data) {

	/** The command's name (type 2) or the component's custom id (type 3, 5). */
	String name() {
		return (this.type == 2) ? this.data.path("name").asString("") : this.data.path("custom_id").asString("");
	}

	/** The subcommand, if the command has one. */
	Optional<JsonNode> subcommand() {
		for (JsonNode option : this.data.path("options")) {
			if (option.path("type").asInt(0) == 1) {
				return Optional.of(option);
			}
		}
		return Optional.empty();
	}

	/** An option's value, of the subcommand if there is one. */
	Optional<JsonNode> option(String name) {
		JsonNode options = subcommand().map((sub) -> sub.path("options")).orElse(this.data.path("options"));
		for (JsonNode option : options) {
			if (name.equals(option.path("name").asString(""))) {
				return Optional.of(option.path("value"));
			}
		}
		return Optional.empty();
	}

}
