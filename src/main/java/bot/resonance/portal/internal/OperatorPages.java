package bot.resonance.portal.internal;

import java.math.BigDecimal;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;
import bot.resonance.brands.BrandProvisioning;
import bot.resonance.brands.Brands;
import bot.resonance.brands.Wallet;
import bot.resonance.discord.GuildBindings;
import bot.resonance.ledger.CurrencyKind;
import bot.resonance.platform.admin.AdminTokens;
import bot.resonance.platform.crypto.RandomTokens;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.Page;
import bot.resonance.portal.PortalProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The operator console at {@code /portal/operator}: the operator signs in with the admin
 * token and manages brands, their funding, their Discord servers and their first portal
 * users, through the same services as the operator API ({@code /admin/v1/brands},
 * {@code …/wallet/credits}, {@code …/guilds}, {@code …/portal-invitations}): what a page
 * does is what the API would have done.
 */
@Controller
class OperatorPages {

	static final String SIGN_IN = "/portal/operator/sign-in";

	static final String HOME = "/portal/operator";

	/** How many fundings a brand's page lists. */
	static final int FUNDING_HISTORY = 20;

	/** How many brands one page of the list shows. */
	static final int BRANDS_PER_PAGE = 50;

	private final AdminTokens adminTokens;

	private final SignInThrottle throttle;

	private final BrandProvisioning provisioning;

	private final Brands brands;

	private final Wallet wallet;

	private final GuildBindings guilds;

	private final PortalUsers users;

	private final PortalProperties properties;

	OperatorPages(AdminTokens adminTokens, SignInThrottle throttle, BrandProvisioning provisioning, Brands brands,
			Wallet wallet, GuildBindings guilds, PortalUsers users, PortalProperties properties) {
		this.adminTokens = adminTokens;
		this.throttle = throttle;
		this.provisioning = provisioning;
		this.brands = brands;
		this.wallet = wallet;
		this.guilds = guilds;
		this.users = users;
		this.properties = properties;
	}

	/**
	 * Whether the operator is signed in (the layout then offers the brands and sign-out).
	 */
	@ModelAttribute("operator")
	boolean operator(@AuthenticationPrincipal @Nullable OperatorPrincipal principal) {
		return principal != null;
	}

	// ---- signing in

	@GetMapping(SIGN_IN)
	String signInForm() {
		return "portal/operator-sign-in";
	}

	/**
	 * The admin token, compared in constant time; wrong tokens are throttled per client
	 * address like wrong passwords (the throttle is asked first, so a refused attempt
	 * tells nothing about the token).
	 */
	@PostMapping(SIGN_IN)
	String signIn(@RequestParam(name = "token", required = false) @Nullable String token, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		String client = "operator-console " + request.getRemoteAddr();
		if (this.throttle.refuses(client, client)) {
			response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
			model.addAttribute("error", "Too many wrong tokens from your address. Wait 15 minutes, then try again.");
			return "portal/operator-sign-in";
		}
		if (!this.adminTokens.matches(token)) {
			this.throttle.failed(client, client);
			response.setStatus(HttpStatus.UNAUTHORIZED.value());
			model.addAttribute("error", "That is not the admin token.");
			return "portal/operator-sign-in";
		}
		this.throttle.succeeded(client);
		SessionSignIn.signIn(OperatorPrincipal.INSTANCE, request, response);
		return "redirect:" + HOME;
	}

	// ---- brands

	@GetMapping({ HOME, HOME + "/" })
	String brandList(@RequestParam(name = "starting_after", required = false) @Nullable String startingAfter,
			Model model) {
		return brandList(model, startingAfter);
	}

	@PostMapping(HOME + "/brands")
	String createBrand(@RequestParam(name = "name", required = false) @Nullable String name,
			@RequestParam(name = "brand_id", required = false) @Nullable String brandId,
			@RequestParam(name = "currency", required = false) @Nullable String currency,
			@RequestParam(name = "decimals", required = false) @Nullable String decimals,
			@RequestParam(name = "kind", required = false) @Nullable String kind,
			@RequestParam(name = "address", required = false) @Nullable String address,
			@RequestParam(name = "chain_id", required = false) @Nullable String chainId, Model model,
			HttpServletResponse response) {
		String code = PortalPages.blankToNull(currency);
		Integer places = null;
		String refusal = null;
		if (decimals != null && !decimals.isBlank()) {
			places = decimals.strip().matches("[0-9]{1,2}") ? Integer.valueOf(decimals.strip()) : null;
			refusal = (places == null) ? "Decimals must be a number from 0 to 18." : null;
		}
		CurrencyKind currencyKind = (kind == null || kind.isBlank()) ? CurrencyKind.POINT
				: CurrencyKind.fromWireName(kind.strip()).orElse(null);
		if (refusal == null && currencyKind == null) {
			refusal = "The currency's kind must be point, onchain-currency or airdrop.";
		}
		if (refusal == null && (name == null || name.isBlank())) {
			refusal = "Give the brand a name.";
		}
		if (refusal == null) {
			try {
				BrandProvisioning.CreatedBrand created = this.provisioning
					.create(new BrandProvisioning.NewBrand(name.strip(), PortalPages.blankToNull(brandId),
							new BrandProvisioning.NewCurrency((code != null) ? code : "POINT", currencyKind,
									(places != null) ? places : 0, PortalPages.blankToNull(address),
									PortalPages.blankToNull(chainId)),
							null, null, null));
				response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
				model.addAttribute("created", created);
				return "portal/operator-brand-created";
			}
			catch (ApiException ex) {
				refusal = ex.getMessage();
				response.setStatus(statusOf(ex).value());
			}
		}
		else {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
		}
		model.addAttribute("createError", refusal);
		model.addAttribute("name", name);
		model.addAttribute("brandId", brandId);
		model.addAttribute("currency", currency);
		model.addAttribute("decimals", decimals);
		model.addAttribute("kind", kind);
		model.addAttribute("address", address);
		model.addAttribute("chainId", chainId);
		return brandList(model, null);
	}

	@GetMapping(HOME + "/brands/{brandId}")
	String brand(@PathVariable("brandId") String brandId, Model model) {
		return brandPage(model, brand(brandId));
	}

	// ---- funding

	@PostMapping(HOME + "/brands/{brandId}/funding")
	String fund(@PathVariable("brandId") String brandId,
			@RequestParam(name = "amount", required = false) @Nullable String amount,
			@RequestParam(name = "currency", required = false) @Nullable String currency,
			@RequestParam(name = "reference", required = false) @Nullable String reference,
			@RequestParam(name = "funding_key", required = false) @Nullable String fundingKey, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		Brand brand = brand(brandId);
		Wallet.WalletView view = this.wallet.balances(brand.brandId());
		String code = (currency != null && !currency.isBlank()) ? currency.strip() : brand.defaultCurrency();
		Wallet.Balance balance = view.balances()
			.stream()
			.filter((b) -> b.currency().equals(code))
			.findFirst()
			.orElse(null);
		String refusal = null;
		Long smallest = null;
		if (balance == null) {
			refusal = "The brand has no currency " + code + ".";
		}
		else {
			smallest = smallestUnits(amount, balance.decimals());
			if (smallest == null) {
				refusal = "Enter a positive amount of " + code + " with at most " + balance.decimals() + " decimals.";
			}
		}
		if (refusal == null && reference != null && reference.length() > 200) {
			refusal = "The reference may have at most 200 characters.";
		}
		if (refusal == null && (fundingKey == null || !fundingKey.matches("[A-Za-z0-9]{16,64}"))) {
			refusal = "This form is out of date. Reload the page and try again.";
		}
		if (refusal == null) {
			try {
				Wallet.Funding funding = this.wallet.fund(brand.brandId(), smallest, code,
						PortalPages.blankToNull(reference), "portal-" + fundingKey);
				redirect.addFlashAttribute("notice",
						funding.alreadyPosted() ? "This funding had been credited already; nothing was added."
								: "Credited " + amount.strip() + " " + code + ". The balance is now "
										+ BigDecimal.valueOf(funding.balance(), balance.decimals()).toPlainString()
										+ " " + code + ".");
				return "redirect:" + HOME + "/brands/" + brand.brandId();
			}
			catch (ApiException ex) {
				refusal = ex.getMessage();
			}
		}
		response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
		model.addAttribute("fundingError", refusal);
		model.addAttribute("amount", amount);
		model.addAttribute("fundingCurrency", code);
		model.addAttribute("reference", reference);
		return brandPage(model, brand);
	}

	// ---- Discord servers

	@PostMapping(HOME + "/brands/{brandId}/guilds")
	String bindGuild(@PathVariable("brandId") String brandId,
			@RequestParam(name = "guild_id", required = false) @Nullable String guildId, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		Brand brand = brand(brandId);
		String id = (guildId != null) ? guildId.strip() : "";
		try {
			if (id.length() > 24) {
				throw ApiException.invalidRequest("guild_id must be a Discord guild id (a snowflake: digits).");
			}
			this.guilds.bind(brand.brandId(), id);
			redirect.addFlashAttribute("notice", "Discord server " + id + " is connected to " + brand.name() + ".");
			return "redirect:" + HOME + "/brands/" + brand.brandId();
		}
		catch (ApiException ex) {
			response.setStatus(statusOf(ex).value());
			model.addAttribute("guildError", ex.getMessage());
			model.addAttribute("guildId", guildId);
			return brandPage(model, brand);
		}
	}

	@PostMapping(HOME + "/brands/{brandId}/guilds/{guildId}/unbind")
	String unbindGuild(@PathVariable("brandId") String brandId, @PathVariable("guildId") String guildId,
			RedirectAttributes redirect) {
		Brand brand = brand(brandId);
		if (!this.guilds.unbind(brand.brandId(), guildId)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
		redirect.addFlashAttribute("notice", "Discord server " + guildId + " is no longer connected.");
		return "redirect:" + HOME + "/brands/" + brand.brandId();
	}

	// ---- portal users

	@PostMapping(HOME + "/brands/{brandId}/invitations")
	String invite(@PathVariable("brandId") String brandId,
			@RequestParam(name = "email", required = false) @Nullable String email,
			@RequestParam(name = "role", required = false) @Nullable String role, Model model,
			HttpServletResponse response) {
		Brand brand = brand(brandId);
		try {
			PortalUsers.CreatedInvitation invitation = this.users.invite(brand.brandId(), email, role, baseUrl());
			response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
			model.addAttribute("brand", brand);
			model.addAttribute("invitedEmail", invitation.email());
			model.addAttribute("invitedRole", invitation.role());
			model.addAttribute("invitationUrl", invitation.url());
			model.addAttribute("invitationExpiresAt", invitation.expiresAt());
			model.addAttribute("emailed", invitation.emailed());
			return "portal/operator-invited";
		}
		catch (ApiException ex) {
			response.setStatus(statusOf(ex).value());
			model.addAttribute("inviteError", ex.getMessage());
			model.addAttribute("email", email);
			model.addAttribute("role", role);
			return brandPage(model, brand);
		}
	}

	// ---- shared

	private String brandList(Model model, @Nullable String startingAfter) {
		Page<Brand> page;
		try {
			page = this.provisioning.list(PortalPages.blankToNull(startingAfter), BRANDS_PER_PAGE);
		}
		catch (ApiException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		model.addAttribute("brands", page.data());
		model.addAttribute("nextCursor", page.hasMore() ? page.nextCursor() : null);
		return "portal/operator-brands";
	}

	private String brandPage(Model model, Brand brand) {
		Wallet.WalletView view = this.wallet.balances(brand.brandId());
		model.addAttribute("brand", brand);
		model.addAttribute("balances",
				view.balances()
					.stream()
					.map((b) -> new Amount(b.currency(), BigDecimal.valueOf(b.balance(), b.decimals()).toPlainString()))
					.toList());
		List<FundingLine> history = this.wallet.credits(brand.brandId(), FUNDING_HISTORY)
			.stream()
			.map((credit) -> new FundingLine(credit.transferId(),
					new Amount(credit.currency(),
							BigDecimal.valueOf(credit.amount(), credit.decimals()).toPlainString()),
					credit.reference(), credit.createdAt()))
			.toList();
		model.addAttribute("fundings", history);
		model.addAttribute("guilds", this.guilds.guilds(brand.brandId()));
		model.addAttribute("fundingKey", RandomTokens.base62(32));
		if (!model.containsAttribute("fundingCurrency")) {
			model.addAttribute("fundingCurrency", brand.defaultCurrency());
		}
		return "portal/operator-brand";
	}

	/** The brand named in the address, or a 404 page. */
	private Brand brand(String brandId) {
		return this.brands.find(brandId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
	}

	/** An amount in whole units ({@code 12.5}) in the smallest unit, if it is one. */
	static @Nullable Long smallestUnits(@Nullable String amount, int decimals) {
		if (amount == null || !amount.strip().matches("[0-9]{1,19}(\\.[0-9]{1,18})?")) {
			return null;
		}
		BigDecimal value = new BigDecimal(amount.strip());
		if (value.signum() <= 0 || value.stripTrailingZeros().scale() > decimals) {
			return null;
		}
		try {
			return value.movePointRight(decimals).longValueExact();
		}
		catch (ArithmeticException ex) {
			return null;
		}
	}

	private String baseUrl() {
		String base = (this.properties.publicBaseUrl() != null) ? this.properties.publicBaseUrl().toString()
				: ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
		return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

	/**
	 * A refusal from a service: conflicts stay 409, everything else is the form's 422.
	 */
	private static HttpStatus statusOf(ApiException ex) {
		return (ex.status() == HttpStatus.CONFLICT) ? HttpStatus.CONFLICT : HttpStatus.UNPROCESSABLE_CONTENT;
	}

}
