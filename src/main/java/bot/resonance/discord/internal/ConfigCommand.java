package bot.resonance.discord.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import bot.resonance.brands.Brand;
import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.CommandSpec;
import bot.resonance.discord.SlashCommand;
import bot.resonance.discord.Ui;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.rewards.EventTypes;
import bot.resonance.rewards.EventTypes.EventTypeView;
import org.springframework.stereotype.Component;

/**
 * {@code /config events} (admins): the brand's event types in an embed, a menu to choose
 * one, and a form to change its amount, cooldown, daily limit and whether it is enabled.
 * The form's values go to {@link EventTypes#put} as the same change {@code PUT
 * /v1/event-types/{type}} makes with those fields, so the API's rules and refusals are
 * the bot's.
 */
@Component
class ConfigCommand implements SlashCommand {

	private static final CommandSpec SPEC = CommandSpec.forAdmins("config", "Configure this server's rewards",
			List.of(CommandSpec.subcommand("events",
					"See the event types and change their amount, cooldown, daily limit or status", List.of())));

	/** Select menus hold 25 options; a message holds 5 rows. */
	private static final int PER_MENU = 25;

	private static final int MENUS = 5;

	/** Digits only: no sign, no decimals, no exponent. */
	private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,18}");

	private static final Set<String> FIELDS = Set.copyOf(EventTypes.FIELDS);

	private final EventTypes eventTypes;

	ConfigCommand(EventTypes eventTypes) {
		this.eventTypes = eventTypes;
	}

	@Override
	public CommandSpec spec() {
		return SPEC;
	}

	@Override
	public Answer execute(CommandCall call) {
		String sub = call.subcommand().orElse("events");
		if (!sub.equals("events")) {
			return Answer.ephemeral("Unknown command /config " + Ui.clip(sub, 32) + ". Try /config events.");
		}
		return listing(call.brand());
	}

	private Answer listing(Brand brand) {
		List<EventTypeView> types = this.eventTypes.list(brand);
		List<Map<String, Object>> fields = new ArrayList<>();
		for (EventTypeView type : types) {
			fields.add(Ui.field(type.name(), summary(type), false));
		}
		String description = "Choose a type below to change its amount, cooldown, daily limit or status.";
		if (types.size() > PER_MENU) {
			description += " (" + PER_MENU + " of " + types.size() + " types are shown here; the menus hold "
					+ Math.min(types.size(), PER_MENU * MENUS) + ".)";
		}
		List<Map<String, Object>> rows = new ArrayList<>();
		for (int menu = 0; menu < MENUS && menu * PER_MENU < types.size(); menu++) {
			List<Map<String, Object>> choices = new ArrayList<>();
			for (EventTypeView type : types.subList(menu * PER_MENU, Math.min(types.size(), (menu + 1) * PER_MENU))) {
				choices.add(Ui.choice(type.name(), type.name(),
						(type.enabled() ? "Enabled" : "Disabled") + " · " + type.amount() + " " + type.currency()));
			}
			// Custom ids are unique within a message: the first menu is config:type, the
			// others config:type:2 and on.
			rows.add(Ui.row(List.of(Ui.select((menu == 0) ? "config:type" : "config:type:" + (menu + 1),
					"Choose an event type to change", choices))));
		}
		return Answer.ephemeral("", List.of(Ui.embed(brand, brand.name() + " — event types", description, fields)),
				rows);
	}

	@Override
	public Answer component(CommandCall call, List<String> arguments) {
		if (!arguments.isEmpty() && arguments.get(0).equals("type")) {
			List<String> chosen = call.values();
			if (chosen.size() != 1) {
				return Answer.ephemeral("Choose one event type in the menu.");
			}
			return form(existing(call.brand(), chosen.get(0)));
		}
		return SlashCommand.super.component(call, arguments);
	}

	/**
	 * The form for one type, filled in with what it is now (no daily limit: no value, as
	 * Discord refuses an empty one).
	 */
	private static Answer form(EventTypeView type) {
		return new Answer.Modal("config:edit:" + type.name(), Ui.clip("Change " + type.name(), 45),
				List.of(Ui.textInput("amount", "Amount (" + Ui.clip(type.currency(), 16) + ", 1 or more)",
						Long.toString(type.amount()), true, 19),
						Ui.textInput("cooldown_seconds", "Cooldown in seconds (0 = none)",
								Integer.toString(type.cooldownSeconds()), true, 8),
						Ui.textInput("daily_limit", "Daily limit per member (blank = no limit)",
								(type.dailyLimit() != null) ? type.dailyLimit().toString() : null, false, 7),
						Ui.textInput("enabled", "Enabled (yes or no)", type.enabled() ? "yes" : "no", true, 5)));
	}

	@Override
	public Answer modal(CommandCall call, List<String> arguments) {
		if (arguments.size() != 2 || !arguments.get(0).equals("edit")) {
			return SlashCommand.super.modal(call, arguments);
		}
		Brand brand = call.brand();
		// Only types that exist are changed here: a form for a type deleted since it was
		// opened does not bring it back.
		String name = existing(brand, arguments.get(1)).name();
		ObjectNode change = JsonNodeFactory.instance.objectNode();
		Optional<String> amount = call.field("amount");
		if (amount.isPresent()) {
			Optional<Long> value = wholeNumber(amount.get());
			if (value.isEmpty()) {
				return Answer.ephemeral("Amount must be a whole number of 1 or more (digits only, such as 100). "
						+ "Nothing was changed.");
			}
			change.put("amount", value.get());
		}
		Optional<String> cooldown = call.field("cooldown_seconds");
		if (cooldown.isPresent()) {
			Optional<Long> value = wholeNumber(cooldown.get());
			if (value.isEmpty()) {
				return Answer.ephemeral("Cooldown must be a whole number of seconds, 0 for none (digits only, such as "
						+ "3600 for an hour). Nothing was changed.");
			}
			change.put("cooldown_seconds", value.get());
		}
		Optional<String> dailyLimit = call.field("daily_limit");
		if (dailyLimit.isPresent()) {
			if (dailyLimit.get().isBlank()) {
				change.putNull("daily_limit");
			}
			else {
				Optional<Long> value = wholeNumber(dailyLimit.get());
				if (value.isEmpty()) {
					return Answer.ephemeral("Daily limit must be a whole number of 1 or more (digits only), or blank "
							+ "for no limit. Nothing was changed.");
				}
				change.put("daily_limit", value.get());
			}
		}
		Optional<String> enabled = call.field("enabled");
		if (enabled.isPresent()) {
			Optional<Boolean> value = yesOrNo(enabled.get());
			if (value.isEmpty()) {
				return Answer.ephemeral("Enabled must be yes or no. Nothing was changed.");
			}
			change.put("enabled", value.get());
		}
		// The management API's change, field for field: its checks (ranges, max_amount)
		// and refusals apply, and an ApiException undoes everything and is shown.
		EventTypes.Saved saved;
		try {
			saved = this.eventTypes.put(brand, name, JsonPatch.of(change, FIELDS));
		}
		catch (ApiException refused) {
			// In the form's words rather than the API's field names; thrown again, so
			// what the command wrote is undone.
			throw new ApiException(refused.status(), refused.code(), inFormWords(refused.getMessage()));
		}
		EventTypeView type = saved.type();
		return Answer
			.ephemeral("Saved: " + type.name() + " applies to events from now on.", List.of(Ui.embed(brand, type.name(),
					null,
					List.of(Ui.field("Status", type.enabled() ? "Enabled" : "Disabled"),
							Ui.field("Amount", type.amount() + " " + type.currency()),
							Ui.field("Cooldown", cooldown(type.cooldownSeconds())),
							Ui.field("Daily limit",
									(type.dailyLimit() != null) ? type.dailyLimit() + " per member" : "No limit")))),
					List.of());
	}

	/** An API refusal of the form's values, as the form names them. */
	static String inFormWords(@Nullable String message) {
		String text = (message != null) ? message : "The change was refused.";
		text = text.replace("Field 'amount'", "Amount")
			.replace("Field 'cooldown_seconds'", "Cooldown (seconds)")
			.replace("Field 'daily_limit'", "Daily limit")
			.replace("Field 'enabled'", "Enabled");
		if (text.startsWith("amount (")) {
			text = "Amount (" + text.substring("amount (".length());
		}
		text = text.replace("must not exceed max_amount", "must not exceed this type's max_amount");
		return text + (text.endsWith(".") ? "" : ".") + " Nothing was changed.";
	}

	private EventTypeView existing(Brand brand, String name) {
		try {
			return this.eventTypes.get(brand, name);
		}
		catch (ApiException missing) {
			throw ApiException.notFound("event_type_not_found", "There is no event type " + Ui.clip(name, 64)
					+ " any more. Run /config events again to see the types there are.");
		}
	}

	/** What a type does, in one field. */
	private static String summary(EventTypeView type) {
		StringBuilder summary = new StringBuilder(type.enabled() ? "Enabled" : "Disabled");
		summary.append(" · ").append(type.amount()).append(' ').append(type.currency());
		if (type.amountField() != null) {
			// The field's name stays out: 25 fields must fit Discord's 6000 characters.
			summary.append(" (or by metadata)");
		}
		summary.append('\n')
			.append((type.cooldownSeconds() > 0) ? "cooldown " + cooldown(type.cooldownSeconds()) : "no cooldown");
		summary.append(" · ")
			.append((type.dailyLimit() != null) ? "daily limit " + type.dailyLimit() : "no daily limit");
		return summary.toString();
	}

	/** Seconds in the largest unit that divides them: 60 → "1 min". */
	static String cooldown(int seconds) {
		if (seconds == 0) {
			return "None";
		}
		if (seconds % 86_400 == 0) {
			return (seconds / 86_400) + " d";
		}
		if (seconds % 3_600 == 0) {
			return (seconds / 3_600) + " h";
		}
		if (seconds % 60 == 0) {
			return (seconds / 60) + " min";
		}
		return seconds + " s";
	}

	private static Optional<Long> wholeNumber(String text) {
		String value = text.strip();
		return WHOLE_NUMBER.matcher(value).matches() ? Optional.of(Long.parseLong(value)) : Optional.empty();
	}

	private static Optional<Boolean> yesOrNo(String text) {
		return switch (text.strip().toLowerCase(Locale.ROOT)) {
			case "yes", "y", "true", "on" -> Optional.of(true);
			case "no", "n", "false", "off" -> Optional.of(false);
			default -> Optional.empty();
		};
	}

}
