package bot.resonance.members;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import bot.resonance.affiliates.Referrals;
import bot.resonance.brands.Brand;
import bot.resonance.identity.Identities;
import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityHeldElsewhere;
import bot.resonance.identity.IdentityKind;
import bot.resonance.identity.InvalidIdentityException;
import bot.resonance.identity.Member;
import bot.resonance.identity.MemberStatus;
import bot.resonance.identity.Person;
import bot.resonance.identity.Members;
import bot.resonance.identity.UserIdentifier;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.NetworkCurrency;
import bot.resonance.network.LinkConfirmations;
import bot.resonance.network.Redemptions;
import bot.resonance.platform.web.ApiException;
import bot.resonance.rewards.EventView;
import bot.resonance.rewards.MemberRewards;
import org.springframework.stereotype.Service;

/**
 * The use cases on a brand's members, for every adapter (management API, portal, bot). A
 * member is named by any identity of theirs: a Discord user id, an email (aliases such as
 * {@code discord_{id}@rsnc.network} included), a wallet address, or {@code kind:value}.
 * Refusals are {@link ApiException}s with the management API's codes.
 */
@Service
public class MemberProfiles {

	private static final Pattern MEMBER_ID = Pattern.compile("mem_([0-9]{1,18})");

	private final Members members;

	private final Identities identities;

	private final Ledger ledger;

	private final LinkConfirmations confirmations;

	private final Redemptions redemptions;

	private final MemberRewards rewards;

	private final Referrals referrals;

	private final Clock clock;

	MemberProfiles(Members members, Identities identities, Ledger ledger, LinkConfirmations confirmations,
			Redemptions redemptions, MemberRewards rewards, Referrals referrals, Clock clock) {
		this.members = members;
		this.identities = identities;
		this.ledger = ledger;
		this.confirmations = confirmations;
		this.redemptions = redemptions;
		this.rewards = rewards;
		this.referrals = referrals;
		this.clock = clock;
	}

	/**
	 * The member with one identity: {@code kind} is {@code email}, {@code discord},
	 * {@code telegram}, {@code twitter} or {@code wallet} (an EVM, Solana or XRPL
	 * address).
	 */
	public MemberView lookup(Brand brand, String kind, String value) {
		Identity identity = read(() -> kind.equals("wallet") ? wallet(brand, value)
				: this.identities.parse(brand.brandId(), kind, value));
		Member member = this.members.find(identity)
			.orElseThrow(() -> ApiException.notFound("member_not_found",
					"No member with " + identity.kind().wireName() + " " + identity.value() + " in this brand."));
		return view(brand, member);
	}

	/** The member named by {@code reference}. */
	public MemberView get(Brand brand, String reference) {
		return view(brand, find(brand, reference));
	}

	/**
	 * A reference ({@code kind:value}, the member's oldest identity) that names the
	 * brand's member with the id {@code memberId} ({@code mem_…}) to the use cases here;
	 * empty if the brand has no such member (another brand's, or one merged into another
	 * member, whose identities moved to it).
	 */
	public Optional<String> referenceOf(Brand brand, String memberId) {
		Matcher id = MEMBER_ID.matcher(memberId);
		if (!id.matches()) {
			return Optional.empty();
		}
		long member = Long.parseLong(id.group(1));
		if (this.members.findByIds(brand.brandId(), List.of(member)).isEmpty()) {
			return Optional.empty();
		}
		return this.members.identities(brand.brandId(), List.of(member))
			.getOrDefault(member, List.of())
			.stream()
			.findFirst()
			.map((identity) -> identity.kind().wireName() + ":" + identity.value());
	}

	/** The member's events, newest first, older than {@code startingAfter} if given. */
	public List<EventView> events(Brand brand, String reference, @Nullable String startingAfter, int limit) {
		return this.rewards.events(brand.brandId(), find(brand, reference).id(), startingAfter, limit);
	}

	/**
	 * Enables or disables a member (created if never seen, so a brand can disable someone
	 * before their first event).
	 */
	public MemberView setStatus(Brand brand, String reference, MemberStatus status) {
		return view(brand, this.members.setStatus(identity(brand, reference), status));
	}

	/**
	 * Gives the member an identity (of {@code kind}, e.g. {@code email}); if it belongs
	 * to another member, that member is merged into this one. If it belongs to another
	 * person of the network, the link waits for their confirmation.
	 */
	public LinkResult link(Brand brand, String reference, String kind, String value) {
		Identity member = identity(brand, reference);
		Identity added = read(() -> this.identities.parse(brand.brandId(), kind, value));
		try {
			return new LinkResult.Linked(linked(brand, merging(() -> this.members.link(member, added))));
		}
		catch (IdentityHeldElsewhere refused) {
			return new LinkResult.Pending(this.confirmations.request(brand, refused));
		}
	}

	/** Completes a link with the code the identity's holder received. */
	public MemberView confirmLink(Brand brand, String reference, String confirmationId, String code) {
		Identity member = identity(brand, reference);
		return linked(brand, merging(() -> this.confirmations.confirm(brand, member, confirmationId, code)));
	}

	private MemberView linked(Brand brand, Members.Linked linked) {
		MemberView view = view(brand, linked.member());
		return (linked.mergedFrom() != null) ? view.mergedFrom("mem_" + linked.mergedFrom().id()) : view;
	}

	private static Members.Linked merging(Supplier<Members.Linked> link) {
		try {
			return link.get();
		}
		catch (Members.ConcurrentMerge ex) {
			throw ApiException.conflict("concurrent_merge", ex.getMessage());
		}
	}

	/** What a link did: linked, or waiting for the holder's confirmation. */
	public sealed interface LinkResult {

		record Linked(MemberView member) implements LinkResult {
		}

		record Pending(LinkConfirmations.PendingLink confirmation) implements LinkResult {
		}

	}

	/**
	 * Emails the member a redemption code (to the email the brand linked), which they
	 * give back to the brand to spend RSNC here.
	 */
	public Redemptions.EmailedCode emailRedemptionCode(Brand brand, String reference, @Nullable Long maxAmount) {
		return this.redemptions.emailCode(brand, find(brand, reference), maxAmount);
	}

	/** Sets who referred the member: a member by any identity. */
	public MemberView setReferrer(Brand brand, String reference, String referrer) {
		return setReferrer(brand, reference, new Referrals.Referrer.ByIdentity(identity(brand, referrer)));
	}

	/** Sets who referred the member: the owner of a referral code. */
	public MemberView setReferrerByCode(Brand brand, String reference, String code) {
		return setReferrer(brand, reference, new Referrals.Referrer.ByCode(code));
	}

	private MemberView setReferrer(Brand brand, String reference, Referrals.Referrer referrer) {
		return view(brand, this.referrals.setReferrer(identity(brand, reference), referrer));
	}

	/** The member's referral code (made on first request), with their id. */
	public Map<String, String> referralCode(Brand brand, String reference) {
		Member member = find(brand, reference);
		return Map.of("member_id", "mem_" + member.id(), "referral_code", this.referrals.code(member));
	}

	private Member find(Brand brand, String reference) {
		return this.members.find(identity(brand, reference))
			.orElseThrow(() -> ApiException.notFound("member_not_found",
					"No member " + reference + " has been seen by this brand."));
	}

	/**
	 * The identity a path's {@code {member}} names: any identity, or the member's own id
	 * ({@code mem_…}, as answers give it), which names the brand's members only.
	 */
	private Identity identity(Brand brand, String reference) {
		if (MEMBER_ID.matcher(reference).matches()) {
			String named = referenceOf(brand, reference).orElseThrow(() -> ApiException.notFound("member_not_found",
					"No member " + reference + " in this brand (or it was merged into another member: the merge "
							+ "answered its new id)."));
			return read(() -> this.identities.reference(brand.brandId(), named));
		}
		return read(() -> this.identities.reference(brand.brandId(), reference));
	}

	private Identity wallet(Brand brand, String wallet) {
		Identity identity = this.identities.reference(brand.brandId(), wallet);
		if (!identity.kind().isWallet()) {
			throw new InvalidIdentityException("wallet must be an EVM, Solana or XRPL address.");
		}
		return identity;
	}

	private static Identity read(Supplier<Identity> parse) {
		try {
			return parse.get();
		}
		catch (InvalidIdentityException ex) {
			throw ApiException.invalidRequest(ex.getMessage());
		}
	}

	private MemberView view(Brand brand, Member member) {
		String brandId = brand.brandId();
		List<String> currencies = new java.util.ArrayList<>(
				this.ledger.currencies(brandId).stream().map(Currency::code).toList());
		currencies.removeIf(NetworkCurrency::isNetwork);
		currencies.add(NetworkCurrency.CODE);
		Map<AccountKey, Long> balances = this.ledger.balances(currencies.stream()
			.map((c) -> NetworkCurrency.holder(brandId, c, member.id(), member.personId()))
			.toList());
		List<MemberView.Balance> entries = currencies.stream()
			.map((c) -> new MemberView.Balance(c,
					balances.getOrDefault(NetworkCurrency.holder(brandId, c, member.id(), member.personId()), 0L)))
			.toList();
		String defaultCurrency = brand.defaultCurrency();
		long balance = entries.stream()
			.filter((entry) -> entry.currency().equals(defaultCurrency))
			.mapToLong(MemberView.Balance::balance)
			.findFirst()
			.orElse(0);
		Instant now = this.clock.instant();
		List<MemberRewards.TypeToday> perType = this.rewards.today(brandId, member.id(), now);
		int rewardedToday = perType.stream().mapToInt(MemberRewards.TypeToday::rewarded).sum();
		List<Identity> identities = this.members.identities(brandId, List.of(member.id()))
			.getOrDefault(member.id(), List.of());
		String userId = identities.stream()
			.filter((identity) -> identity.kind() == IdentityKind.DISCORD)
			.map(Identity::value)
			.findFirst()
			.orElse(null);
		Person person = this.members.person(member.personId()).orElseThrow();
		UserIdentifier best = UserIdentifier.of(identities, person);
		String referredBy = this.referrals.referrerOf(brandId, member.id()).map((id) -> "mem_" + id).orElse(null);
		return new MemberView("mem_" + member.id(), userId, referredBy,
				identities.stream().map((i) -> new MemberView.IdentityView(i.kind().wireName(), i.value())).toList(),
				person.address(), best.value(), best.type(), null, member.status(), balance, defaultCurrency, entries,
				this.rewards.pendingCount(brandId, member.id()), member.createdAt(), new MemberView.Today(
						LocalDate.ofInstant(now, ZoneOffset.UTC), rewardedToday, brand.dailyEventLimit(), perType));
	}

}
