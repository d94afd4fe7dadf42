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
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.identity.Identities;
import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityKind;
import bot.resonance.identity.IdentityProperties;
import bot.resonance.identity.InvalidIdentityException;
import bot.resonance.identity.Member;
import bot.resonance.identity.MemberStatus;
import bot.resonance.identity.Members;
import bot.resonance.identity.UserIdentifier;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.Ledger;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.platform.web.Page;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Members as the brand sees them: {@code /v1/members/{member}}, where {@code member} is
 * any identity of theirs (a Discord user id, an email, a wallet address, or
 * {@code kind:value}).
 */
@RestController
@RequestMapping("/v1/members")
@Tag(name = "Members",
		description = "A member's identities, balance, status, today's counts and event history. {member} is any identity of theirs: a Discord user id, an email (aliases such as discord_{id}@rsnc.network included), an EVM, Solana or XRPL address, or kind:value (telegram:123).")
@SecurityRequirement(name = "apiKey")
class MemberController {

	private final Members members;

	private final Ledger ledger;

	private final EventQueries queries;

	private final EventTypeRepository eventTypes;

	private final Identities identities;

	private final IdentityProperties identityProperties;

	private final MemberLinks links;

	private final Referrals referrals;

	private final Clock clock;

	MemberController(Members members, Ledger ledger, EventQueries queries, EventTypeRepository eventTypes,
			Identities identities, IdentityProperties identityProperties, MemberLinks links, Referrals referrals,
			Clock clock) {
		this.referrals = referrals;
		this.identities = identities;
		this.identityProperties = identityProperties;
		this.links = links;
		this.members = members;
		this.ledger = ledger;
		this.queries = queries;
		this.eventTypes = eventTypes;
		this.clock = clock;
	}

	@GetMapping("/lookup")
	@Operation(summary = "Find a member by one identity",
			description = "Exactly one of email, discord_id, telegram_id, twitter_id or wallet (an EVM, Solana or XRPL address).")
	MemberView lookup(AuthenticatedBrand caller, @RequestParam(name = "email", required = false) @Nullable String email,
			@RequestParam(name = "discord_id", required = false) @Nullable String discordId,
			@RequestParam(name = "telegram_id", required = false) @Nullable String telegramId,
			@RequestParam(name = "twitter_id", required = false) @Nullable String twitterId,
			@RequestParam(name = "wallet", required = false) @Nullable String wallet) {
		Map<String, String> given = new java.util.LinkedHashMap<>();
		java.util.function.BiConsumer<String, @Nullable String> add = (kind, value) -> {
			if (value != null) {
				given.put(kind, value);
			}
		};
		add.accept("email", email);
		add.accept("discord", discordId);
		add.accept("telegram", telegramId);
		add.accept("twitter", twitterId);
		add.accept("wallet", wallet);
		if (given.size() != 1) {
			throw ApiException
				.invalidRequest("Give exactly one of email, discord_id, telegram_id, twitter_id or wallet.");
		}
		Map.Entry<String, String> only = given.entrySet().iterator().next();
		Identity identity = read(() -> only.getKey().equals("wallet") ? walletIdentity(caller, only.getValue())
				: this.identities.parse(caller.brandId(), only.getKey(), only.getValue()));
		Member member = this.members.find(identity)
			.orElseThrow(() -> ApiException.notFound("member_not_found",
					"No member with " + identity.kind().wireName() + " " + identity.value() + " in this brand."));
		return view(caller, member);
	}

	@GetMapping("/{member}")
	@Operation(summary = "Get a member",
			description = "Identities, balance, status, pending events, and today's (UTC) reward counts per event type.")
	MemberView get(AuthenticatedBrand caller, @PathVariable("member") String reference) {
		return view(caller, find(caller, reference));
	}

	@GetMapping("/{member}/events")
	@Operation(summary = "List a member's events",
			description = "Newest first, including those of members merged into this one. Pass next_cursor as starting_after for the next page.")
	Page<EventView> events(AuthenticatedBrand caller, @PathVariable("member") String reference,
			@RequestParam(name = "limit", required = false) @Nullable Integer limit,
			@RequestParam(name = "starting_after", required = false) @Nullable String startingAfter) {
		int pageSize = Page.limit(limit);
		Member member = find(caller, reference);
		return Page.of(this.queries.memberEvents(caller.brandId(), member.id(), startingAfter, pageSize + 1), pageSize,
				EventView::eventId);
	}

	@PatchMapping("/{member}")
	@Operation(summary = "Enable or disable a member",
			description = "{\"status\": \"disabled\"} makes the member's events fail with USER_DISABLED; \"active\" restores them. Works before the member's first event, too.")
	MemberView update(AuthenticatedBrand caller, @PathVariable("member") String reference,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					schema = @Schema(implementation = MemberPatch.class))) @RequestBody JsonNode body) {
		JsonPatch patch = JsonPatch.of(body, Set.of("status"));
		if (!patch.has("status")) {
			throw ApiException
				.invalidRequest("Nothing to change: send {\"status\": \"active\"} or {\"status\": \"disabled\"}.");
		}
		MemberStatus status = MemberStatus.fromWireName(patch.string("status", 20))
			.orElseThrow(() -> ApiException.invalidRequest("status must be \"active\" or \"disabled\"."));
		Member member = this.members.setStatus(identity(caller, reference), status);
		return view(caller, member);
	}

	@PostMapping("/{member}/identities")
	@Operation(summary = "Link an identity to a member",
			description = "Adds an identity (kind: discord, email, telegram, twitter, evm_address, solana_address, xrpl_address). If it belongs to another member, that member is merged into this one: identities, balances (a ledger transfer), cooldowns, today's counts and history move over. Creates the member if never seen.")
	MemberView link(AuthenticatedBrand caller, @PathVariable("member") String reference,
			@Valid @RequestBody LinkRequest request) {
		Identity member = identity(caller, reference);
		Identity added = read(() -> this.identities.parse(caller.brandId(), request.kind(), request.value()));
		MemberLinks.Linked linked = this.links.link(member, added);
		MemberView view = view(caller, linked.member());
		return (linked.mergedFrom() != null) ? view.mergedFrom("mem_" + linked.mergedFrom().id()) : view;
	}

	@PutMapping("/{member}/referrer")
	@Operation(summary = "Set who referred a member",
			description = "{\"referrer\": any identity of the referrer} or {\"referral_code\": \"…\"}. Set once; self-referral and cycles are refused. From then on, events of types with an affiliate_amount pay the referrer too (reason affiliate_payout).")
	MemberView setReferrer(AuthenticatedBrand caller, @PathVariable("member") String reference,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					schema = @Schema(implementation = ReferrerRequest.class))) @RequestBody JsonNode body) {
		JsonPatch patch = JsonPatch.of(body, Set.of("referrer", "referral_code"));
		if (patch.has("referrer") == patch.has("referral_code")) {
			throw ApiException
				.invalidRequest("Send exactly one of referrer (an identity of the referrer) and " + "referral_code.");
		}
		Referrals.Referrer referrer = patch.has("referrer")
				? new Referrals.Referrer.ByIdentity(identity(caller, patch.string("referrer", 320)))
				: new Referrals.Referrer.ByCode(patch.string("referral_code", 32));
		return view(caller, this.referrals.setReferrer(identity(caller, reference), referrer));
	}

	@GetMapping("/{member}/referral-code")
	@Operation(summary = "Get a member's referral code",
			description = "Made on first request; give it to the people the member invites.")
	Map<String, String> referralCode(AuthenticatedBrand caller, @PathVariable("member") String reference) {
		Member member = find(caller, reference);
		return Map.of("member_id", "mem_" + member.id(), "referral_code", this.referrals.code(member));
	}

	private Member find(AuthenticatedBrand caller, String reference) {
		return this.members.find(identity(caller, reference))
			.orElseThrow(() -> ApiException.notFound("member_not_found",
					"No member " + reference + " has been seen by this brand."));
	}

	private Identity identity(AuthenticatedBrand caller, String reference) {
		return read(() -> this.identities.reference(caller.brandId(), reference));
	}

	private Identity walletIdentity(AuthenticatedBrand caller, String wallet) {
		Identity identity = this.identities.reference(caller.brandId(), wallet);
		if (!identity.kind().isWallet()) {
			throw new InvalidIdentityException("wallet must be an EVM, Solana or XRPL address.");
		}
		return identity;
	}

	private static Identity read(java.util.function.Supplier<Identity> parse) {
		try {
			return parse.get();
		}
		catch (InvalidIdentityException ex) {
			throw ApiException.invalidRequest(ex.getMessage());
		}
	}

	private MemberView view(AuthenticatedBrand caller, Member member) {
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
		List<Identity> identities = this.members.identities(brandId, List.of(member.id()))
			.getOrDefault(member.id(), List.of());
		String userId = identities.stream()
			.filter((identity) -> identity.kind() == IdentityKind.DISCORD)
			.map(Identity::value)
			.findFirst()
			.orElse(null);
		UserIdentifier best = UserIdentifier.best(identities, this.identityProperties).orElse(null);
		String referredBy = this.referrals.referrerOf(brandId, member.id()).map((id) -> "mem_" + id).orElse(null);
		return new MemberView("mem_" + member.id(), userId, referredBy,
				identities.stream().map((i) -> new MemberView.IdentityView(i.kind().wireName(), i.value())).toList(),
				(best != null) ? best.value() : null, (best != null) ? best.type() : null, null, member.status(),
				balance, defaultCurrency, entries, this.queries.pendingCount(brandId, member.id()), member.createdAt(),
				new MemberView.Today(today, rewardedToday, caller.brand().dailyEventLimit(), perType));
	}

	record MemberPatch(@Schema(allowableValues = {
			"active", "disabled" }) String status){
	}

	record ReferrerRequest(@Nullable String referrer, @Nullable String referralCode) {
	}

	record LinkRequest(@NotBlank @Size(max = 40) String kind, @NotBlank @Size(max = 320) String value) {
	}

	/**
	 * A member as the brand sees them.
	 *
	 * @param memberId the member's id ({@code mem_…})
	 * @param userId the Discord user id, if the member has one
	 * @param referredBy the member who referred this one, if any
	 * @param identities every identity, oldest first
	 * @param userIdentifier how webhooks name the member: a wallet address, else an email
	 * @param userIdentifierType {@code evm_address}, {@code solana_address},
	 * {@code xrpl_address} or {@code email}
	 * @param mergedFrom the member just merged into this one by a link
	 * @param status active or disabled
	 * @param balance balance in the brand's default currency
	 * @param currency the brand's default currency
	 * @param balances balance per currency
	 * @param pendingEvents events accepted as pending, not yet processed
	 * @param createdAt when the member was first seen
	 * @param today reward counts for the current UTC day
	 */
	record MemberView(String memberId, @Nullable String userId, @Nullable String referredBy,
			List<IdentityView> identities, @Nullable String userIdentifier, @Nullable String userIdentifierType,
			@Nullable String mergedFrom, MemberStatus status, long balance, String currency, List<Balance> balances,
			long pendingEvents, Instant createdAt, Today today) {

		MemberView mergedFrom(String merged) {
			return new MemberView(this.memberId, this.userId, this.referredBy, this.identities, this.userIdentifier,
					this.userIdentifierType, merged, this.status, this.balance, this.currency, this.balances,
					this.pendingEvents, this.createdAt, this.today);
		}

		record IdentityView(String kind, String value) {
		}

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
