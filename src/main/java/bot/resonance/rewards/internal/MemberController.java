package bot.resonance.rewards.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.identity.Identity;
import bot.resonance.identity.Member;
import bot.resonance.identity.MemberStatus;
import bot.resonance.identity.Members;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.Ledger;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.platform.web.Page;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Members as the brand sees them: {@code /v1/members/{user_id}}. */
@RestController
@RequestMapping("/v1/members")
@Tag(name = "Members",
		description = "A member's balance, status, today's counts and event history. user_id is the Discord user id.")
@SecurityRequirement(name = "apiKey")
class MemberController {

	private final Members members;

	private final Ledger ledger;

	private final EventQueries queries;

	private final EventTypeRepository eventTypes;

	private final Clock clock;

	MemberController(Members members, Ledger ledger, EventQueries queries, EventTypeRepository eventTypes,
			Clock clock) {
		this.members = members;
		this.ledger = ledger;
		this.queries = queries;
		this.eventTypes = eventTypes;
		this.clock = clock;
	}

	@GetMapping("/{user_id}")
	@Operation(summary = "Get a member",
			description = "Balance, status, pending events, and today's (UTC) reward counts per event type.")
	MemberView get(AuthenticatedBrand caller, @PathVariable("user_id") String userId) {
		return view(caller, userId, find(caller, userId));
	}

	@GetMapping("/{user_id}/events")
	@Operation(summary = "List a member's events",
			description = "Newest first. Pass next_cursor as starting_after for the next page.")
	Page<EventView> events(AuthenticatedBrand caller, @PathVariable("user_id") String userId,
			@RequestParam(name = "limit", required = false) @Nullable Integer limit,
			@RequestParam(name = "starting_after", required = false) @Nullable String startingAfter) {
		int pageSize = Page.limit(limit);
		Member member = find(caller, userId);
		return Page.of(this.queries.memberEvents(caller.brandId(), member.id(), startingAfter, pageSize + 1), pageSize,
				EventView::eventId);
	}

	@PatchMapping("/{user_id}")
	@Operation(summary = "Enable or disable a member",
			description = "{\"status\": \"disabled\"} makes the member's events fail with USER_DISABLED; \"active\" restores them. Works before the member's first event, too.")
	MemberView update(AuthenticatedBrand caller, @PathVariable("user_id") String userId,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					schema = @Schema(implementation = MemberPatch.class))) @RequestBody JsonNode body) {
		JsonPatch patch = JsonPatch.of(body, Set.of("status"));
		if (!patch.has("status")) {
			throw ApiException
				.invalidRequest("Nothing to change: send {\"status\": \"active\"} or {\"status\": \"disabled\"}.");
		}
		MemberStatus status = MemberStatus.fromWireName(patch.string("status", 20))
			.orElseThrow(() -> ApiException.invalidRequest("status must be \"active\" or \"disabled\"."));
		Member member = this.members.setStatus(identity(caller, userId), status);
		return view(caller, userId, member);
	}

	private Member find(AuthenticatedBrand caller, String userId) {
		return this.members.find(identity(caller, userId))
			.orElseThrow(() -> ApiException.notFound("member_not_found",
					"No member with user_id " + userId + " has been seen by this brand."));
	}

	private static Identity identity(AuthenticatedBrand caller, String userId) {
		return Identity.discord(caller.brandId(), userId)
			.orElseThrow(() -> ApiException.invalidRequest("user_id must be a Discord user id (digits only)."));
	}

	private MemberView view(AuthenticatedBrand caller, String userId, Member member) {
		String brandId = caller.brandId();
		List<Currency> currencies = this.ledger.currencies(brandId);
		Map<AccountKey, Long> balances = this.ledger
			.balances(currencies.stream().map((c) -> AccountKey.member(brandId, c.code(), member.id())).toList());
		List<MemberView.Balance> entries = currencies.stream()
			.map((c) -> new MemberView.Balance(c.code(),
					balances.getOrDefault(AccountKey.member(brandId, c.code(), member.id()), 0L)))
			.toList();
		String defaultCurrency = caller.brand().defaultCurrency();
		long balance = entries.stream()
			.filter((entry) -> entry.currency().equals(defaultCurrency))
			.mapToLong(MemberView.Balance::balance)
			.findFirst()
			.orElse(0);

		Instant now = this.clock.instant();
		LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		Map<String, EventType> types = this.eventTypes.all(brandId)
			.stream()
			.collect(Collectors.toMap(EventType::name, Function.identity()));
		List<MemberView.TypeToday> perType = new ArrayList<>();
		for (EventQueries.TypeToday state : this.queries.typeStates(brandId, member.id())) {
			EventType type = types.get(state.eventType());
			int cooldown = (type != null) ? type.cooldownSeconds() : 0;
			Instant cooldownEnds = state.lastAwardedAt().plusSeconds(cooldown);
			perType.add(new MemberView.TypeToday(state.eventType(), state.day().equals(today) ? state.dayCount() : 0,
					(type != null) ? type.dailyLimit() : null, state.lastAwardedAt(),
					cooldownEnds.isAfter(now) ? cooldownEnds : null));
		}
		int rewardedToday = perType.stream().mapToInt(MemberView.TypeToday::rewarded).sum();
		return new MemberView(userId, member.status(), balance, defaultCurrency, entries,
				this.queries.pendingCount(brandId, member.id()), member.createdAt(),
				new MemberView.Today(today, rewardedToday, caller.brand().dailyEventLimit(), perType));
	}

	record MemberPatch(@Schema(allowableValues = {
			"active", "disabled" }) String status){
	}

	/**
	 * A member as the brand sees them.
	 *
	 * @param userId the Discord user id
	 * @param status active or disabled
	 * @param balance balance in the brand's default currency
	 * @param currency the brand's default currency
	 * @param balances balance per currency
	 * @param pendingEvents events accepted as pending, not yet processed
	 * @param createdAt when the member was first seen
	 * @param today reward counts for the current UTC day
	 */
	record MemberView(String userId, MemberStatus status, long balance, String currency, List<Balance> balances,
			long pendingEvents, Instant createdAt, Today today) {

		record Balance(String currency, long balance) {
		}

		record Today(LocalDate date, int rewardedEvents, @Nullable Integer dailyEventLimit,
				List<TypeToday> eventTypes) {
		}

		record TypeToday(String eventType, int rewarded, @Nullable Integer dailyLimit, Instant lastAwardedAt,
				@Nullable Instant cooldownEndsAt) {
		}

	}

}
