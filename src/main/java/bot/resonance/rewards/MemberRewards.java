package bot.resonance.rewards;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import bot.resonance.rewards.internal.EventQueries;
import bot.resonance.rewards.internal.types.EventType;
import bot.resonance.rewards.internal.types.EventTypeRepository;
import org.springframework.stereotype.Service;

/**
 * A member's standing with the brand's rewards: their events, today's (UTC) counts and
 * cooldowns per event type, and their pending events.
 */
@Service
public class MemberRewards {

	private final EventQueries queries;

	private final EventTypeRepository eventTypes;

	MemberRewards(EventQueries queries, EventTypeRepository eventTypes) {
		this.queries = queries;
		this.eventTypes = eventTypes;
	}

	/** The member's events, newest first, older than {@code startingAfter} if given. */
	public List<EventView> events(String brandId, long memberId, @Nullable String startingAfter, int limit) {
		return this.queries.memberEvents(brandId, memberId, startingAfter, limit);
	}

	/**
	 * The {@code limit} events of the member just newer than {@code endingBefore}, newest
	 * first: the page before one that starts after it, for paging back.
	 */
	public List<EventView> eventsNewer(String brandId, long memberId, String endingBefore, int limit) {
		return this.queries.memberEventsNewer(brandId, memberId, endingBefore, limit);
	}

	/** Events accepted as pending and not processed yet. */
	public long pendingCount(String brandId, long memberId) {
		return this.queries.pendingCount(brandId, memberId);
	}

	/** Per event type the member was ever rewarded for: today's count and cooldown. */
	public List<TypeToday> today(String brandId, long memberId, Instant now) {
		LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		Map<String, EventType> types = this.eventTypes.all(brandId)
			.stream()
			.collect(Collectors.toMap(EventType::name, Function.identity()));
		List<TypeToday> perType = new ArrayList<>();
		for (EventQueries.TypeToday state : this.queries.typeStates(brandId, memberId)) {
			EventType type = types.get(state.eventType());
			int cooldown = (type != null) ? type.cooldownSeconds() : 0;
			Instant cooldownEnds = state.lastAwardedAt().plusSeconds(cooldown);
			perType.add(new TypeToday(state.eventType(), state.day().equals(today) ? state.dayCount() : 0,
					(type != null) ? type.dailyLimit() : null, state.lastAwardedAt(),
					cooldownEnds.isAfter(now) ? cooldownEnds : null));
		}
		return perType;
	}

	/**
	 * A member's day with one event type.
	 *
	 * @param eventType the type
	 * @param rewarded how often the member was rewarded for it today (UTC)
	 * @param dailyLimit the type's daily limit, if it has one
	 * @param lastAwardedAt the last reward
	 * @param cooldownEndsAt when the member may earn it again, if they are in cooldown
	 */
	public record TypeToday(String eventType, int rewarded, @Nullable Integer dailyLimit, Instant lastAwardedAt,
			@Nullable Instant cooldownEndsAt) {
	}

}
