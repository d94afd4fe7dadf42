package bot.resonance.members.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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
import bot.resonance.identity.MemberStatus;
import bot.resonance.members.MemberProfiles;
import bot.resonance.members.MemberView;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import bot.resonance.platform.web.Page;
import bot.resonance.platform.web.StrictWholeNumbers;
import bot.resonance.rewards.EventView;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.http.ResponseEntity;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.Positive;
import bot.resonance.network.LinkConfirmations;
import bot.resonance.network.Redemptions;
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
 * {@code kind:value}). An adapter over {@link MemberProfiles}.
 */
@RestController
@RequestMapping("/v1/members")
@Tag(name = "Members",
		description = "A member's identities, balance, status, today's counts and event history. {member} is any identity of theirs: a Discord user id, an email (aliases such as discord_{id}@rsnc.network included), an EVM, Solana or XRPL address, or kind:value (telegram:123).")
@SecurityRequirement(name = "apiKey")
class MemberController implements StrictWholeNumbers {

	private final MemberProfiles profiles;

	MemberController(MemberProfiles profiles) {
		this.profiles = profiles;
	}

	@GetMapping("/lookup")
	@Operation(operationId = "lookupMember", summary = "Find a member by one identity",
			responses = @ApiResponse(responseCode = "200", description = "The member who has that identity"),
			description = "Exactly one of email, discord_id, telegram_id, twitter_id or wallet (an EVM, Solana or XRPL address).")
	MemberView lookup(AuthenticatedBrand caller,
			@Parameter(description = "An email of the member; discord_{id}@rsnc.network finds the Discord user",
					example = "jane@example.com") @RequestParam(name = "email",
							required = false) @Nullable String email,
			@Parameter(description = "A Discord user id", example = "123456789012345678") @RequestParam(
					name = "discord_id", required = false) @Nullable String discordId,
			@Parameter(description = "A Telegram user id", example = "123456789") @RequestParam(name = "telegram_id",
					required = false) @Nullable String telegramId,
			@Parameter(description = "A Twitter/X user id", example = "44196397") @RequestParam(name = "twitter_id",
					required = false) @Nullable String twitterId,
			@Parameter(description = "An EVM, Solana or XRPL address",
					example = "0x1234567890abcdef1234567890abcdef12345678") @RequestParam(name = "wallet",
							required = false) @Nullable String wallet) {
		Map<String, String> given = new LinkedHashMap<>();
		BiConsumer<String, @Nullable String> add = (kind, value) -> {
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
		return this.profiles.lookup(caller.brand(), only.getKey(), only.getValue());
	}

	@GetMapping("/{member}")
	@Operation(operationId = "getMember", summary = "Get a member",
			responses = @ApiResponse(responseCode = "200",
					description = "The member: identities, balances, status and today's reward counts"),
			description = "Identities, balance, status, pending events, and today's (UTC) reward counts per event type.")
	MemberView get(AuthenticatedBrand caller, @PathVariable("member") String reference) {
		return this.profiles.get(caller.brand(), reference);
	}

	@GetMapping("/{member}/events")
	@Operation(operationId = "listMemberEvents", summary = "List a member's events",
			responses = @ApiResponse(responseCode = "200",
					description = "A page of the member's events, newest first; next_cursor continues it"),
			description = "Newest first, including those of members merged into this one. Pass next_cursor as starting_after for the next page.")
	Page<EventView> events(AuthenticatedBrand caller, @PathVariable("member") String reference,
			@RequestParam(name = "limit", required = false) @Nullable Integer limit,
			@RequestParam(name = "starting_after", required = false) @Nullable String startingAfter) {
		int pageSize = Page.limit(limit);
		return Page.of(this.profiles.events(caller.brand(), reference, Page.cursor(startingAfter), pageSize + 1),
				pageSize, EventView::eventId);
	}

	@PatchMapping("/{member}")
	@Operation(operationId = "updateMember", summary = "Enable or disable a member",
			responses = @ApiResponse(responseCode = "200", description = "The member with the new status"),
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
		return this.profiles.setStatus(caller.brand(), reference, status);
	}

	@PostMapping("/{member}/identities")
	@Operation(operationId = "linkMemberIdentity", summary = "Link an identity to a member",
			description = "Adds an identity (kind: discord, email, telegram, twitter, evm_address, solana_address, xrpl_address). If it belongs to another member of this brand, that member is merged into this one: identities, balances (a ledger transfer), cooldowns, today's counts and history move over. Creates the member if never seen. If it belongs to another person of the network (known to other brands, or holding RSNC), nothing is linked yet: the answer is 202 with a confirmation, and a one-time code goes to that person's email; send it to POST /v1/members/{member}/identities/confirm.")
	@ApiResponse(responseCode = "200", description = "Linked",
			content = @Content(schema = @Schema(implementation = MemberView.class)))
	@ApiResponse(responseCode = "202",
			description = "Waiting for the confirmation of the person who holds the identity",
			content = @Content(schema = @Schema(implementation = PendingLinkView.class)))
	ResponseEntity<?> link(AuthenticatedBrand caller, @PathVariable("member") String reference,
			@Valid @RequestBody LinkRequest request) {
		return switch (this.profiles.link(caller.brand(), reference, request.kind(), request.value())) {
			case MemberProfiles.LinkResult.Linked linked -> ResponseEntity.ok(linked.member());
			case MemberProfiles.LinkResult.Pending pending ->
				ResponseEntity.accepted().body(new PendingLinkView("confirmation_required", pending.confirmation()));
		};
	}

	@PostMapping("/{member}/identities/confirm")
	@Operation(operationId = "confirmMemberIdentity", summary = "Confirm a link with the holder's code",
			responses = @ApiResponse(responseCode = "200",
					description = "Linked: the member, now holding the identity"),
			description = "Completes a link answered with 202: the code the person who holds the identity received. The two people become one: identities, memberships and RSNC move to this member's person. Wrong codes count against a few attempts.")
	MemberView confirm(AuthenticatedBrand caller, @PathVariable("member") String reference,
			@Valid @RequestBody ConfirmRequest request) {
		return this.profiles.confirmLink(caller.brand(), reference, request.confirmationId(), request.code());
	}

	@PostMapping("/{member}/redemption-codes")
	@Operation(operationId = "emailRedemptionCode", summary = "Email the member an RSNC redemption code",
			responses = @ApiResponse(responseCode = "202", description = "The code was emailed"),
			description = "Sends a one-time code to the email this brand linked to the member. The member gives it back to spend RSNC here (POST /v1/redemptions). Needs email (SMTP) configured.")
	ResponseEntity<Redemptions.EmailedCode> redemptionCode(AuthenticatedBrand caller,
			@PathVariable("member") String reference,
			@Valid @RequestBody(required = false) @Nullable CodeRequest request) {
		return ResponseEntity.accepted()
			.body(this.profiles.emailRedemptionCode(caller.brand(), reference,
					(request != null) ? request.maxAmount() : null));
	}

	@PutMapping("/{member}/referrer")
	@Operation(operationId = "setMemberReferrer", summary = "Set who referred a member",
			responses = @ApiResponse(responseCode = "200", description = "The member, with referred_by set"),
			description = "{\"referrer\": any identity of the referrer} or {\"referral_code\": \"…\"}. Set once; self-referral and cycles are refused. From then on, events of types with an affiliate_amount pay the referrer too (reason affiliate_payout).")
	MemberView setReferrer(AuthenticatedBrand caller, @PathVariable("member") String reference,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					schema = @Schema(implementation = ReferrerRequest.class))) @RequestBody JsonNode body) {
		JsonPatch patch = JsonPatch.of(body, Set.of("referrer", "referral_code"));
		if (patch.has("referrer") == patch.has("referral_code")) {
			throw ApiException
				.invalidRequest("Send exactly one of referrer (an identity of the referrer) and " + "referral_code.");
		}
		return patch.has("referrer")
				? this.profiles.setReferrer(caller.brand(), reference, patch.string("referrer", 320))
				: this.profiles.setReferrerByCode(caller.brand(), reference, patch.string("referral_code", 32));
	}

	@GetMapping("/{member}/referral-code")
	@Operation(operationId = "getMemberReferralCode", summary = "Get a member's referral code",
			responses = @ApiResponse(responseCode = "200", description = "The member's id and referral code"),
			description = "Made on first request; give it to the people the member invites.")
	Map<String, String> referralCode(AuthenticatedBrand caller, @PathVariable("member") String reference) {
		return this.profiles.referralCode(caller.brand(), reference);
	}

	@Schema(example = """
			{"status": "disabled"}""")
	record MemberPatch(
			@Schema(description = "disabled makes the member's events fail with USER_DISABLED; active restores them",
					allowableValues = {
							"active", "disabled" }) String status){
	}

	@Schema(description = "Exactly one of referrer and referral_code", example = """
			{"referrer": "discord_111111111111111111@rsnc.network"}""")
	record ReferrerRequest(@Schema(description = "Any identity of the referrer") @Nullable String referrer,
			@Schema(description = "The referrer's referral code") @Nullable String referralCode) {
	}

	@Schema(example = """
			{"kind": "email", "value": "jane@example.com"}""")
	record LinkRequest(@Schema(
			description = "discord, email, telegram, twitter, evm_address, solana_address or xrpl_address") @NotBlank @Size(
					max = 40) String kind,
			@Schema(description = "The identity, as the kind writes it") @NotBlank @Size(max = 320) String value) {
	}

	@Schema(example = """
			{"confirmation_id": "lcf_01JD8Q3ZK6W5T2R9XA4B7C1N0M", "code": "493017"}""")
	record ConfirmRequest(
			@Schema(description = "The confirmation's id, from the 202 answer") @NotBlank @Size(
					max = 64) String confirmationId,
			@Schema(description = "The one-time code the identity's holder received") @NotBlank @Size(
					max = 16) String code) {
	}

	@Schema(description = "max_amount: the most RSNC the code may spend; absent: no cap", example = """
			{"max_amount": 500}""")
	record CodeRequest(@Schema(
			description = "The most RSNC the code may spend; no cap when absent") @Nullable @Positive Long maxAmount) {
	}

	/** A link that waits for the holder's confirmation. */
	record PendingLinkView(String status, LinkConfirmations.PendingLink confirmation) {
	}

}
