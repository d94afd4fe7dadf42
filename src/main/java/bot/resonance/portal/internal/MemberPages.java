package bot.resonance.portal.internal;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.brands.Wallet;
import bot.resonance.identity.MemberStatus;
import bot.resonance.members.MemberProfiles;
import bot.resonance.members.MemberView;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.Page;
import bot.resonance.rewards.EventView;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The members pages: find a member by any identity, see their status, balances,
 * identities and reward history, and enable or disable them. An adapter over
 * {@link MemberProfiles}, the service behind {@code /v1/members}: the same lookup (a
 * member of another brand is not found), the same history and the same status change.
 */
@Controller
class MemberPages {

	/** Events per page of a member's history. */
	static final int HISTORY_PAGE = 20;

	/** The longest search the page reads (an email is at most 254 characters). */
	static final int MAX_SEARCH = 400;

	private static final Pattern MEMBER_ID = Pattern.compile("mem_[0-9]{1,18}");

	/** An event id as a cursor: what the API's next_cursor may be. */
	private static final Pattern CURSOR = Pattern.compile("[A-Za-z0-9_-]{1,100}");

	private final Brands brands;

	private final MemberProfiles profiles;

	private final Wallet wallet;

	MemberPages(Brands brands, MemberProfiles profiles, Wallet wallet) {
		this.brands = brands;
		this.profiles = profiles;
		this.wallet = wallet;
	}

	/**
	 * The search: {@code q} is what {@code /v1/members/{member}} takes (a Discord user
	 * id, an email, a wallet address, {@code kind:value}) or a member id; a member found
	 * opens their page.
	 */
	@GetMapping({ "/portal/members", "/portal/members/" })
	String search(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "q", required = false) @Nullable String q, Model model, HttpServletResponse response) {
		String query = (q != null) ? q.strip() : "";
		model.addAttribute("q", (q != null) ? q : "");
		if (query.isEmpty()) {
			return "portal/members";
		}
		if (query.length() > MAX_SEARCH) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("error", "That is too long to name a member: at most " + MAX_SEARCH + " characters.");
			return "portal/members";
		}
		Brand brand = brand(user);
		if (MEMBER_ID.matcher(query).matches()) {
			if (this.profiles.referenceOf(brand, query).isPresent()) {
				return "redirect:/portal/members/" + query;
			}
			model.addAttribute("notFound", true);
			return "portal/members";
		}
		try {
			return "redirect:/portal/members/" + this.profiles.get(brand, query).memberId();
		}
		catch (ApiException ex) {
			if (ex.status() == HttpStatus.NOT_FOUND) {
				model.addAttribute("notFound", true);
				return "portal/members";
			}
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("error", ex.getMessage());
			return "portal/members";
		}
	}

	/** A member: {@code after} is the last event id of the history page before. */
	@GetMapping("/portal/members/{memberId}")
	String member(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("memberId") String memberId,
			@RequestParam(name = "after", required = false) @Nullable String after, Model model) {
		Brand brand = brand(user);
		String reference = reference(brand, memberId);
		if (after != null && !CURSOR.matcher(after).matches()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"The history page asked for is not an event id; go back to the member's newest events.");
		}
		MemberView member = this.profiles.get(brand, reference);
		Map<String, Integer> decimals = PortalPages.decimals(this.wallet.balances(brand.brandId()));
		Page<EventView> history = Page.of(this.profiles.events(brand, reference, after, HISTORY_PAGE + 1), HISTORY_PAGE,
				EventView::eventId);
		List<Amount> balances = member.balances()
			.stream()
			.map((balance) -> new Amount(balance.currency(),
					PortalPages.format(balance.balance(), decimals.getOrDefault(balance.currency(), 0))))
			.toList();
		model.addAttribute("member", member);
		model.addAttribute("balances", balances);
		model.addAttribute("history",
				history.data().stream().map((event) -> PortalPages.EventRow.of(event, decimals)).toList());
		model.addAttribute("nextCursor", history.nextCursor());
		model.addAttribute("paged", after != null);
		model.addAttribute("createdAt", PortalPages.TIME.format(member.createdAt()));
		return "portal/member";
	}

	/**
	 * Enables or disables the member, as {@code PATCH /v1/members/{member}} with
	 * {@code status} does: a disabled member's events are refused with
	 * {@code USER_DISABLED}.
	 */
	@PostMapping("/portal/members/{memberId}/status")
	String setStatus(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("memberId") String memberId,
			@RequestParam(name = "status", required = false) @Nullable String status, RedirectAttributes redirect) {
		user.require(PortalRole.DEVELOPER, "enable or disable members");
		Brand brand = brand(user);
		String reference = reference(brand, memberId);
		MemberStatus target = MemberStatus.fromWireName((status != null) ? status : "")
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"The status must be active or disabled."));
		MemberView member = this.profiles.setStatus(brand, reference, target);
		redirect.addFlashAttribute("notice",
				(target == MemberStatus.DISABLED)
						? member.memberId() + " is disabled: their events are refused with USER_DISABLED."
						: member.memberId() + " is active: their events are processed again.");
		return "redirect:/portal/members/" + member.memberId();
	}

	/** The member's reference for the use cases; 404 if the brand has no such member. */
	private String reference(Brand brand, String memberId) {
		return this.profiles.referenceOf(brand, memberId)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
	}

	private Brand brand(PortalPrincipal user) {
		return this.brands.find(user.brandId()).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
	}

}
