package bot.resonance.discord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What a slash command is, for Discord (its definition, registered with a bulk overwrite)
 * and for the router (who may use it, where, and how it runs).
 *
 * @param name 1 to 32 of a-z, 0-9, - and _
 * @param description 1 to 100 characters, shown in Discord's command picker
 * @param access who may use it: admins' commands are hidden from other members by
 * {@code default_member_permissions} and checked again against {@code member.permissions}
 * on every call
 * @param guildOnly whether it needs a server (it is not offered in DMs)
 * @param transactional whether it runs in one database transaction (undone when it
 * refuses); commands that wait on other work (the event pipeline) run without one
 * @param options the command's options and subcommands, in Discord's format (see
 * {@link #option}, {@link #subcommand})
 */
public record CommandSpec(String name, String description, Access access, boolean guildOnly, boolean transactional,
		List<Map<String, Object>> options) {

	/** Discord's MANAGE_GUILD permission. */
	public static final long MANAGE_GUILD = 1L << 5;

	/** Discord's ADMINISTRATOR permission. */
	public static final long ADMINISTRATOR = 1L << 3;

	/** Option types: a subcommand. */
	public static final int SUB_COMMAND = 1;

	/** Option types: text. */
	public static final int STRING = 3;

	/** Option types: a whole number. */
	public static final int INTEGER = 4;

	/** Option types: a user. */
	public static final int USER = 6;

	/** Option types: a channel. */
	public static final int CHANNEL = 7;

	private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,32}");

	public CommandSpec {
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("A command's name is 1 to 32 of a-z, 0-9, - and _: " + name);
		}
		if (description.isEmpty() || description.length() > 100) {
			throw new IllegalArgumentException("A command's description is 1 to 100 characters: " + name);
		}
		options = List.copyOf(options);
	}

	/** A command anyone in the server (or in DMs) may use. */
	public static CommandSpec forMembers(String name, String description, List<Map<String, Object>> options) {
		return new CommandSpec(name, description, Access.MEMBERS, false, true, options);
	}

	/** A command for the server's admins (Manage Server or Administrator). */
	public static CommandSpec forAdmins(String name, String description, List<Map<String, Object>> options) {
		return new CommandSpec(name, description, Access.ADMINS, true, true, options);
	}

	/** The same command, offered only in servers. */
	public CommandSpec inServersOnly() {
		return new CommandSpec(this.name, this.description, this.access, true, this.transactional, this.options);
	}

	/** The same command, run without a transaction around it. */
	public CommandSpec withoutTransaction() {
		return new CommandSpec(this.name, this.description, this.access, this.guildOnly, false, this.options);
	}

	/** An option: {@link #STRING}, {@link #INTEGER}, {@link #USER}, ... */
	public static Map<String, Object> option(int type, String name, String description, boolean required) {
		Map<String, Object> option = new LinkedHashMap<>();
		option.put("type", type);
		option.put("name", name);
		option.put("description", description);
		option.put("required", required);
		return option;
	}

	/** An option with fixed choices (value = name). */
	public static Map<String, Object> choice(String name, String description, boolean required, String... values) {
		Map<String, Object> option = option(STRING, name, description, required);
		List<Map<String, Object>> choices = new ArrayList<>();
		for (String value : values) {
			choices.add(Map.of("name", value, "value", value));
		}
		option.put("choices", choices);
		return option;
	}

	/** A whole-number option with bounds. */
	public static Map<String, Object> integer(String name, String description, boolean required, long min,
			@Nullable Long max) {
		Map<String, Object> option = option(INTEGER, name, description, required);
		option.put("min_value", min);
		if (max != null) {
			option.put("max_value", max);
		}
		return option;
	}

	/** A subcommand with its options. */
	public static Map<String, Object> subcommand(String name, String description, List<Map<String, Object>> options) {
		Map<String, Object> sub = new LinkedHashMap<>();
		sub.put("type", SUB_COMMAND);
		sub.put("name", name);
		sub.put("description", description);
		sub.put("options", options);
		return sub;
	}

	/**
	 * The command as Discord's bulk overwrite takes it: a chat-input command, with
	 * {@code default_member_permissions} for admins' commands and the contexts it is
	 * offered in (0: servers, 1: DMs with the bot).
	 */
	public Map<String, Object> definition() {
		Map<String, Object> definition = new LinkedHashMap<>();
		definition.put("name", this.name);
		definition.put("type", 1);
		definition.put("description", this.description);
		definition.put("options", this.options);
		definition.put("default_member_permissions",
				(this.access == Access.ADMINS) ? Long.toString(MANAGE_GUILD) : null);
		definition.put("contexts", this.guildOnly ? List.of(0) : List.of(0, 1));
		definition.put("integration_types", List.of(0));
		return definition;
	}

	/** Who may use a command. */
	public enum Access {

		/** Anyone. */
		MEMBERS,

		/** The server's admins: Manage Server or Administrator. */
		ADMINS

	}

}
