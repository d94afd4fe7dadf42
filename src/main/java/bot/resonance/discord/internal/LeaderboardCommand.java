package bot.resonance.discord.internal;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;
import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.CommandSpec;
import bot.resonance.discord.SlashCommand;
import bot.resonance.discord.Ui;
import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityKind;
import bot.resonance.identity.Members;
import bot.resonance.identity.UserIdentifier;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.Ledger;
import bot.resonance.rewards.EventStatistics;
import org.springframework.stereotype.Component;

/**
 * {@code /leaderboard [period]}: the brand's members ranked by what they earned in its
 * default currency, all time, this ISO week (from Monday 00:00 UTC) or this UTC month,
 * ten a page, with the caller's own place on every page. A period's board starts empty
 * when the period starts (it reads only that period's days); nothing is deleted.
 *
 * <p>
 * The buttons carry the period's first day, so paging stays on the board first shown even
 * if the week or month turns meanwhile. It runs without a transaction of its own: the
 * ranking is read in one read-only snapshot by the rewards module.
 */
@Component
class LeaderboardCommand implements SlashCommand {

	static final int PAGE = 10;

	private static final String ALL = "all";

	private static final String WEEK = "week";

	private static final String MONTH = "month";

	/** The highest page a button may ask for. */
	private static final long MAX_PAGE = 10_000_000;

	private static final CommandSpec SPEC = CommandSpec
		.forMembers("leaderboard", "Who earned the most here",
				List.of(CommandSpec.choice("period", "All time (the default), this week or this month", false, ALL,
						WEEK, MONTH)))
		.withoutTransaction();

	private final EventStatistics statistics;

	private final Members members;

	private final Ledger ledger;

	private final Clock clock;

	LeaderboardCommand(EventStatistics statistics, Members members, Ledger ledger, Clock clock) {
		this.statistics = statistics;
		this.members = members;
		this.ledger = ledger;
		this.clock = clock;
	}

	@Override
	public CommandSpec spec() {
		return SPEC;
	}

	@Override
	public Answer execute(CommandCall call) {
		String period = call.text("period").orElse(ALL);
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		return switch (period) {
			case ALL -> board(call, new Board(ALL, null, today), 0);
			case WEEK ->
				board(call, new Board(WEEK, today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)), today), 0);
			case MONTH -> board(call, new Board(MONTH, today.withDayOfMonth(1), today), 0);
			default -> Answer.ephemeral("Choose a period: all, week or month.");
		};
	}

	/**
	 * {@code leaderboard:<period>:<first day or ->:<page>} shows a page (from 0) of the
	 * board of the period that starts on that day.
	 */
	@Override
	public Answer component(CommandCall call, List<String> arguments) {
		Optional<Board> board = (arguments.size() == 3) ? Board.parse(arguments.get(0), arguments.get(1))
				: Optional.empty();
		long page;
		try {
			page = (arguments.size() == 3) ? Long.parseLong(arguments.get(2)) : -1;
		}
		catch (NumberFormatException ex) {
			page = -1;
		}
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		// No button names a period that has not begun (nor one past the calendar's end).
		if (board.isEmpty() || page < 0 || page > MAX_PAGE
				|| board.get().start() != null && board.get().start().isAfter(today)) {
			return SlashCommand.super.component(call, arguments);
		}
		Board shown = board.get();
		return new Answer.Update(board(call, new Board(shown.period(), shown.start(), today), page));
	}

	private Answer.Message board(CommandCall call, Board board, long page) {
		Brand brand = call.brand();
		String currency = brand.defaultCurrency();
		int decimals = this.ledger.currency(brand.brandId(), currency).map(Currency::decimals).orElse(0);
		LocalDate from = (board.start() != null) ? board.start()
				: this.statistics.firstActiveDay(brand.brandId()).orElse(board.today());
		LocalDate to = board.end();
		EventStatistics.Ranking ranking = (from.isBefore(to))
				? this.statistics.ranking(brand.brandId(), from, to, currency, page * PAGE, PAGE, call.member().id())
				: new EventStatistics.Ranking(List.of(), 0, Optional.empty());
		long shownPage = ranking.page().isEmpty() ? 0 : (ranking.page().get(0).rank() - 1) / PAGE;
		StringBuilder lines = new StringBuilder();
		Map<Long, String> names = names(brand.brandId(), ranking);
		for (EventStatistics.Ranked ranked : ranking.page()) {
			lines.append("**")
				.append(ranked.rank())
				.append(".** ")
				.append(names.getOrDefault(ranked.memberId(), "a member"))
				.append(" — ")
				.append(BalanceCommand.amount(ranked.awarded(), decimals))
				.append(' ')
				.append(currency);
			if (ranked.memberId() == call.member().id()) {
				lines.append(" ← you");
			}
			lines.append('\n');
		}
		if (ranking.page().isEmpty()) {
			lines.append("Nobody has earned ").append(currency).append(" on this board yet. Be the first: /checkin.");
		}
		String you = ranking.member()
			.map((ranked) -> "#" + ranked.rank() + " of " + ranking.ranked() + " · "
					+ BalanceCommand.amount(ranked.awarded(), decimals) + " " + currency)
			.orElse("Not ranked yet: earn " + currency + " (try /checkin) to get on the board.");
		long pages = Math.max(1, (ranking.ranked() + PAGE - 1) / PAGE);
		Map<String, Object> embed = Ui.embed(brand, "Top earners — " + board.name(), lines.toString().strip(),
				List.of(Ui.field("Your rank", you, false), Ui.field("Page", (shownPage + 1) + " of " + pages, false)));
		String key = "leaderboard:" + board.period() + ":" + ((board.start() != null) ? board.start() : "-") + ":";
		List<Map<String, Object>> buttons = List.of(
				Ui.button("Previous", key + Math.max(0, shownPage - 1), Ui.SECONDARY, shownPage == 0),
				Ui.button("Next", key + (shownPage + 1), Ui.SECONDARY, shownPage + 1 >= pages));
		return Answer.ephemeral("", List.of(embed), List.of(Ui.row(buttons)));
	}

	/**
	 * How the board names members: as a mention of their Discord user (nobody is pinged),
	 * else by their best identifier, shortened.
	 */
	private Map<Long, String> names(String brandId, EventStatistics.Ranking ranking) {
		List<Long> ids = ranking.page().stream().map(EventStatistics.Ranked::memberId).toList();
		Map<Long, String> names = new HashMap<>();
		List<Long> others = new ArrayList<>();
		Map<Long, List<Identity>> identities = this.members.identities(brandId, ids);
		for (long id : ids) {
			Optional<String> discord = identities.getOrDefault(id, List.of())
				.stream()
				.filter((identity) -> identity.kind() == IdentityKind.DISCORD)
				.map(Identity::value)
				.findFirst();
			if (discord.isPresent()) {
				names.put(id, BalanceCommand.mention(discord.get()));
			}
			else {
				others.add(id);
			}
		}
		Map<Long, UserIdentifier> best = this.members.bestIdentifiers(brandId, others);
		best.forEach((id, identifier) -> names.put(id, "`" + shorten(identifier.value()) + "`"));
		return names;
	}

	/** A wallet address as people recognise it: its start and end. */
	static String shorten(String identifier) {
		return (identifier.length() <= 14) ? identifier
				: identifier.substring(0, 6) + "…" + identifier.substring(identifier.length() - 4);
	}

	/**
	 * A board: all time (no first day), an ISO week from its Monday, or a UTC month from
	 * its first day.
	 */
	private record Board(String period, @Nullable LocalDate start, LocalDate today) {

		private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

		/** The earliest first day a button may name. */
		private static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);

		/** The day after the board's last. */
		LocalDate end() {
			return switch (this.period) {
				case WEEK -> this.start.plusDays(7);
				case MONTH -> this.start.plusMonths(1);
				default -> this.today.plusDays(1);
			};
		}

		String name() {
			LocalDate thisStart = switch (this.period) {
				case WEEK -> this.today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
				case MONTH -> this.today.withDayOfMonth(1);
				default -> null;
			};
			boolean current = this.start != null && this.start.equals(thisStart);
			return switch (this.period) {
				case WEEK -> current ? "This week" : "Week of " + this.start;
				case MONTH ->
					current ? "This month" : this.start.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " "
							+ this.start.getYear();
				default -> "All time";
			};
		}

		static Optional<Board> parse(String period, String start) {
			if (period.equals(ALL)) {
				return start.equals("-") ? Optional.of(new Board(ALL, null, LocalDate.EPOCH)) : Optional.empty();
			}
			if (!DAY.matcher(start).matches()) {
				return Optional.empty();
			}
			LocalDate day;
			try {
				day = LocalDate.parse(start);
			}
			catch (DateTimeParseException ex) {
				return Optional.empty();
			}
			if (day.isBefore(EARLIEST)) {
				return Optional.empty();
			}
			if (period.equals(WEEK) && day.getDayOfWeek() == DayOfWeek.MONDAY
					|| period.equals(MONTH) && day.getDayOfMonth() == 1) {
				return Optional.of(new Board(period, day, LocalDate.EPOCH));
			}
			return Optional.empty();
		}

	}

}
