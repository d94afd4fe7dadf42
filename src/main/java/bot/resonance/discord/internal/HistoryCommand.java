package bot.resonance.discord.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;
import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.CommandSpec;
import bot.resonance.discord.SlashCommand;
import bot.resonance.discord.Ui;
import bot.resonance.rewards.EventView;
import bot.resonance.rewards.MemberRewards;
import org.springframework.stereotype.Component;

/**
 * {@code /history}: the caller's recent events with the brand, newest first, ten a page.
 * The buttons carry a cursor (the event the next page starts after, or the one the
 * previous page ends before) rather than a page number, so a page stays the same page
 * while new events arrive: paging back from page 2 finds page 1 as it was shown.
 */
@Component
class HistoryCommand implements SlashCommand {

	static final int PAGE = 10;

	/** The highest page number a button may carry (a label: paging goes by cursor). */
	private static final int MAX_PAGE = 1_000_000;

	private static final CommandSpec SPEC = CommandSpec.forMembers("history", "Your recent activity here", List.of());

	/** An event id as a cursor: the {@code evt_} ULIDs of the event pipeline. */
	private static final Pattern CURSOR = Pattern.compile("[A-Za-z0-9_]{1,64}");

	private final MemberRewards rewards;

	HistoryCommand(MemberRewards rewards) {
		this.rewards = rewards;
	}

	@Override
	public CommandSpec spec() {
		return SPEC;
	}

	@Override
	public Answer execute(CommandCall call) {
		return newest(call);
	}

	/**
	 * {@code history:older:<page>:<after>} shows page {@code page} (from 1), the events
	 * older than {@code after}; {@code history:newer:<page>:<before>} the events just
	 * newer than {@code before}.
	 */
	@Override
	public Answer component(CommandCall call, List<String> arguments) {
		if (arguments.size() != 3 || !CURSOR.matcher(arguments.get(2)).matches()) {
			return SlashCommand.super.component(call, arguments);
		}
		int page;
		try {
			page = Integer.parseInt(arguments.get(1));
		}
		catch (NumberFormatException ex) {
			return SlashCommand.super.component(call, arguments);
		}
		if (page < 1 || page > MAX_PAGE) {
			return SlashCommand.super.component(call, arguments);
		}
		String cursor = arguments.get(2);
		String brandId = call.brand().brandId();
		long member = call.member().id();
		return switch (arguments.get(0)) {
			case "older" -> {
				List<EventView> events = this.rewards.events(brandId, member, cursor, PAGE + 1);
				if (events.isEmpty()) {
					yield new Answer.Update(message(call, newestEvents(call), 1, false));
				}
				yield new Answer.Update(message(call, events, page, true));
			}
			case "newer" -> {
				List<EventView> newer = this.rewards.eventsNewer(brandId, member, cursor, PAGE + 1);
				if (newer.size() < PAGE) {
					// Not a whole page newer than this one: the first page, as it is now.
					yield new Answer.Update(message(call, newestEvents(call), 1, false));
				}
				List<EventView> events = new ArrayList<>(newer.subList(newer.size() - PAGE, newer.size()));
				// One older than the page (the cursor's event) tells there is a next
				// page.
				events.addAll(this.rewards.events(brandId, member, events.get(events.size() - 1).eventId(), 1));
				yield new Answer.Update(message(call, events, page, newer.size() > PAGE));
			}
			default -> SlashCommand.super.component(call, arguments);
		};
	}

	private Answer newest(CommandCall call) {
		List<EventView> events = newestEvents(call);
		if (events.isEmpty()) {
			Brand brand = call.brand();
			return Answer.ephemeral("You have no activity with " + brand.name() + " yet. Start with /checkin (once a"
					+ " day), and take part in the server: what you earn shows here.");
		}
		return message(call, events, 1, false);
	}

	private List<EventView> newestEvents(CommandCall call) {
		return this.rewards.events(call.brand().brandId(), call.member().id(), null, PAGE + 1);
	}

	/**
	 * A page: {@code events} are its events and, if there is one, the next older event
	 * (which only tells that there is a next page).
	 */
	private Answer.Message message(CommandCall call, List<EventView> events, int page, boolean hasNewer) {
		Brand brand = call.brand();
		List<EventView> shown = events.subList(0, Math.min(PAGE, events.size()));
		if (shown.isEmpty()) {
			return Answer.ephemeral("You have no activity with " + brand.name() + " yet. Start with /checkin.");
		}
		boolean hasOlder = events.size() > PAGE && page < MAX_PAGE;
		StringBuilder lines = new StringBuilder();
		for (EventView event : shown) {
			lines.append(line(event)).append('\n');
		}
		Map<String, Object> embed = Ui.embed(brand, "Your activity — page " + page, lines.toString().strip(),
				List.of());
		String before = shown.get(0).eventId();
		String after = shown.get(shown.size() - 1).eventId();
		List<Map<String, Object>> buttons = List.of(
				Ui.button("Previous", "history:newer:" + Math.max(1, page - 1) + ":" + before, Ui.SECONDARY, !hasNewer),
				Ui.button("Next", "history:older:" + (page + 1) + ":" + after, Ui.SECONDARY, !hasOlder));
		return Answer.ephemeral("", List.of(embed), List.of(Ui.row(buttons)));
	}

	/** One event: when, what, and what came of it. */
	static String line(EventView event) {
		String type = (event.eventType() != null) ? "`" + Ui.clip(event.eventType(), 64) + "`" : "an event";
		String outcome = switch (event.status()) {
			case "awarded" -> "**+" + event.amountAwarded() + " " + nonNull(event.currency()) + "**";
			case "pending" -> "pending" + ((event.processAfter() != null)
					? ", decided <t:" + event.processAfter().getEpochSecond() + ":R>" : "");
			case "rejected" ->
				"not rewarded" + ((event.error() != null) ? " (" + event.error().code().toLowerCase() + ")" : "");
			default -> event.status();
		};
		return "<t:" + event.receivedAt().getEpochSecond() + ":f> · " + type + " · " + outcome;
	}

	private static String nonNull(@Nullable String text) {
		return (text != null) ? text : "";
	}

}
