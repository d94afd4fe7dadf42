package bot.resonance.discord.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.brands.Brand;
import bot.resonance.discord.Answer;
import bot.resonance.discord.CommandCall;
import bot.resonance.discord.CommandSpec;
import bot.resonance.discord.SlashCommand;
import bot.resonance.discord.Ui;
import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.ids.IdGenerator;
import bot.resonance.rewards.EventRequest;
import bot.resonance.rewards.EventTypes;
import bot.resonance.rewards.IngestOutcome;
import bot.resonance.rewards.RejectionCode;
import bot.resonance.rewards.RewardEvents;
import bot.resonance.rewards.Submission;
import org.springframework.stereotype.Component;

/**
 * {@code /checkin}: the brand's {@code daily_checkin} event, through the same pipeline,
 * rules, ledger and webhooks as {@code POST /v1/events}, once per member and UTC day,
 * with streaks and streak bonuses.
 *
 * <p>
 * Once a day holds however many check-ins race, because the event's idempotency key is
 * "this member, this UTC day" and its request hash is derived from the key alone: the
 * first is processed, every other gets the pipeline's replay of it (whatever amount it
 * asked for). Only rewards bind the key; a check-in the rules refused (a disabled type, a
 * cooldown) may be tried again the same day. The streak moves only when the check-in is
 * rewarded, by a compare-and-set on the streak it was read as.
 */
@Component
class CheckinCommand implements SlashCommand {

	private static final Logger log = LoggerFactory.getLogger(CheckinCommand.class);

	static final String EVENT_TYPE = "daily_checkin";

	private static final CommandSpec SPEC = CommandSpec
		.forMembers("checkin", "Check in for today's reward and keep your streak going", List.of())
		.inServersOnly()
		.withoutTransaction();

	private static final String TOO_LONG = "Your check-in is taking longer than usual. Run /checkin again in a "
			+ "moment to see it: it is never counted twice.";

	private static final String TRY_AGAIN = "Resonance could not check you in just now. Try again in a moment: a "
			+ "check-in is never counted twice.";

	private final RewardEvents events;

	private final EventTypes eventTypes;

	private final CheckinRepository repository;

	private final IdGenerator ids;

	private final Clock clock;

	private final JsonMapper json;

	private final CheckinProperties properties;

	CheckinCommand(RewardEvents events, EventTypes eventTypes, CheckinRepository repository, IdGenerator ids,
			Clock clock, JsonMapper json, CheckinProperties properties) {
		this.events = events;
		this.eventTypes = eventTypes;
		this.repository = repository;
		this.ids = ids;
		this.clock = clock;
		this.json = json;
		this.properties = properties;
	}

	@Override
	public CommandSpec spec() {
		return SPEC;
	}

	@Override
	public Answer execute(CommandCall call) {
		Brand brand = call.brand();
		long memberId = call.member().id();
		Instant now = this.clock.instant();
		LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		Instant tomorrow = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
		CheckinSettings settings = this.repository.settings(brand.brandId());
		CheckinStreak before = this.repository.streak(brand.brandId(), memberId).orElse(null);
		int streakDay = CheckinStreak.after(before, now, settings.grace()).current();
		Optional<BigDecimal> multiplier = settings.multiplierOn(streakDay);
		Long amount = multiplier.map((m) -> bonusAmount(brand, m)).orElse(null);

		String key = "discord-checkin:" + memberId + ":" + today;
		EventRequest request = new EventRequest(EVENT_TYPE, call.userId(), call.guildId(), amount,
				metadata(streakDay, multiplier.orElse(null)), null);
		Submission.NewEvent submission = new Submission.NewEvent(this.ids.prefixed("evt_"), brand, request, key,
				Hashing.sha256(key), now, "discord", false);
		IngestOutcome outcome = this.events.submitAndWait(submission, this.properties.answerWithin(), TOO_LONG);
		return switch (outcome) {
			case IngestOutcome.Awarded awarded ->
				awarded(call, awarded, (amount != null) ? multiplier.get() : null, before, now, tomorrow, settings);
			case IngestOutcome.Pending pending ->
				Answer.ephemeral("Your check-in for today is in, but " + switch (pending.reason()) {
					case DAILY_LIMIT_REACHED -> "daily check-in rewards reached their daily limit";
					case USER_DAILY_LIMIT_REACHED -> "you reached today's reward limit in this server";
					case COOLDOWN_ACTIVE -> "the check-in cooldown is still running";
				} + ", so it is paid " + relative(pending.processAfter())
						+ ". Streaks count check-ins paid on the day. Next check-in " + relative(tomorrow) + ".");
			case IngestOutcome.Rejected rejected ->
				refused(call, rejected.code(), rejected.message(), rejected.retryAfterSeconds(), now, tomorrow);
			case IngestOutcome.Replayed replayed -> replayed(call, replayed, now, tomorrow);
			case IngestOutcome.KeyReused reused -> {
				// Cannot happen while the hash is derived from the key alone.
				log.warn("Check-in key {} of brand {} was used with another request hash", key, brand.brandId());
				yield Answer.ephemeral(TRY_AGAIN);
			}
			case IngestOutcome.Unavailable unavailable ->
				Answer.ephemeral(TOO_LONG.equals(unavailable.message()) ? TOO_LONG : TRY_AGAIN);
			case IngestOutcome.Failed failed -> Answer.ephemeral(TRY_AGAIN);
			case IngestOutcome.Skipped skipped -> Answer.ephemeral(TRY_AGAIN);
		};
	}

	/**
	 * The type's amount times the multiplier, rounded down and capped by its
	 * {@code max_amount}; {@code null} (the type's own amount) if the type is not there.
	 */
	private @Nullable Long bonusAmount(Brand brand, BigDecimal multiplier) {
		EventTypes.EventTypeView type;
		try {
			type = this.eventTypes.get(brand, EVENT_TYPE);
		}
		catch (RuntimeException ex) {
			return null; // the pipeline tells what is wrong with the type
		}
		return CheckinSettings.bonusAmount(type.amount(), multiplier, type.maxAmount());
	}

	private String metadata(int streakDay, @Nullable BigDecimal multiplier) {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("streak_day", streakDay);
		if (multiplier != null) {
			metadata.put("streak_multiplier", multiplier);
		}
		return this.json.writeValueAsString(metadata);
	}

	private Answer awarded(CommandCall call, IngestOutcome.Awarded awarded, @Nullable BigDecimal multiplier,
			@Nullable CheckinStreak before, Instant now, Instant tomorrow, CheckinSettings settings) {
		Brand brand = call.brand();
		CheckinStreak streak = countStreak(brand.brandId(), call.member().id(), before, now, settings.grace());
		String description = "+" + awarded.amount() + " " + awarded.currency() + ((multiplier != null)
				? " — day " + streak.current() + " streak bonus, ×" + multiplier.toPlainString() + "!" : "");
		List<Map<String, Object>> fields = new ArrayList<>();
		fields.add(Ui.field("Balance", awarded.newBalance() + " " + awarded.currency()));
		fields.add(Ui.field("Streak", days(streak.current())));
		fields.add(Ui.field("Best streak", days(streak.best())));
		fields.add(Ui.field("Next bonus",
				settings.nextBonusAfter(streak.current())
					.map((next) -> "×" + next.multiplier().toPlainString() + " on day " + next.day() + " (in "
							+ days(next.day() - streak.current()) + ")")
					.orElse("No streak bonuses in this server")));
		fields.add(Ui.field("Next check-in", "From " + relative(tomorrow) + "; keep your streak by checking in before "
				+ "<t:" + streak.keepUntil(settings.grace()).getEpochSecond() + ":f>", false));
		return Answer.ephemeral("",
				List.of(Ui.embed(brand, "Checked in: day " + streak.current(), description, fields)), List.of());
	}

	/**
	 * Counts the rewarded check-in in the member's streak, unless it was counted: work
	 * out the next streak from the one read before the event ({@code seen}),
	 * compare-and-set, and read it again if another check-in moved it in between. (A
	 * streak already counted today stays as it is: its day only moves forward.)
	 */
	private CheckinStreak countStreak(String brandId, long memberId, @Nullable CheckinStreak seen, Instant at,
			Duration grace) {
		LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
		CheckinStreak previous = seen;
		for (int attempt = 0; attempt < 5; attempt++) {
			if (attempt > 0) {
				previous = this.repository.streak(brandId, memberId).orElse(null);
			}
			if (previous != null && !previous.lastDay().isBefore(day)) {
				return previous;
			}
			CheckinStreak next = CheckinStreak.after(previous, at, grace);
			if (this.repository.advance(brandId, memberId, previous, next, at)) {
				return next;
			}
		}
		return this.repository.streak(brandId, memberId).orElseThrow();
	}

	private Answer refused(CommandCall call, RejectionCode code, String message, @Nullable Long retryAfter, Instant now,
			Instant tomorrow) {
		return Answer.ephemeral(switch (code) {
			case COOLDOWN_ACTIVE -> "Not yet: check-ins in this server have a cooldown. You can check in again "
					+ relative((retryAfter != null) ? now.plusSeconds(retryAfter) : tomorrow) + ".";
			case EVENT_DISABLED -> "Check-ins are off in this server; an admin turns them on with /config events.";
			case USER_DISABLED -> "Your rewards in " + call.brand().name() + " are turned off, so check-ins are not "
					+ "paid. If you think this is a mistake, ask a server admin.";
			case INSUFFICIENT_BALANCE -> call.brand().name() + " has nothing left to pay check-ins with right now. "
					+ "Let an admin know, and try again later.";
			case RATE_LIMITED -> "Rewards are busy in this server right now. Try again "
					+ relative(now.plusSeconds((retryAfter != null) ? retryAfter : 1)) + ".";
			case INVALID_REQUEST -> "Check-ins are not set up right in this server (" + message
					+ "). An admin can fix it with /config events.";
		});
	}

	/**
	 * The answer to a check-in of a day that had one: "already" when it was rewarded
	 * (awarded or pending), else the refusal it got (a refusal replayed within its
	 * batch).
	 */
	private Answer replayed(CommandCall call, IngestOutcome.Replayed replayed, Instant now, Instant tomorrow) {
		if (replayed.status() == 200) {
			return alreadyCheckedIn(tomorrow);
		}
		JsonNode error;
		try {
			error = this.json.readTree(replayed.body()).path("error");
		}
		catch (RuntimeException ex) {
			return Answer.ephemeral(TRY_AGAIN);
		}
		RejectionCode code;
		try {
			code = RejectionCode.valueOf(error.path("code").asString(""));
		}
		catch (IllegalArgumentException ex) {
			return Answer.ephemeral(TRY_AGAIN);
		}
		Long retryAfter = error.path("retry_after").isIntegralNumber() ? error.path("retry_after").asLong() : null;
		return refused(call, code, error.path("message").asString(""), retryAfter, now, tomorrow);
	}

	private static Answer alreadyCheckedIn(Instant tomorrow) {
		return Answer.ephemeral("You already checked in today; next check-in " + relative(tomorrow) + ".");
	}

	private static String days(int days) {
		return days + ((days == 1) ? " day" : " days");
	}

	private static String relative(Instant at) {
		return "<t:" + at.getEpochSecond() + ":R>";
	}

}
