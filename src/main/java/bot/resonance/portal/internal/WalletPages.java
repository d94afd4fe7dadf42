package bot.resonance.portal.internal;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.brands.Wallet;
import bot.resonance.ledger.CurrencyKind;
import bot.resonance.platform.web.ApiException;
import bot.resonance.platform.web.JsonPatch;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
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
 * The wallet page: the brand wallet's balances ({@link Wallet#balances}, as
 * {@code GET /v1/wallet}), its history ({@link Wallet#movements}: the fundings, or every
 * movement), the runway ({@link Runway}) and how the wallet is funded in Resonance (by
 * the operator, through the operator API; there is no payment integration), and which
 * token each on-chain currency is (admins may change it).
 */
@Controller
class WalletPages {

	/** Movements per page. */
	static final int HISTORY_PAGE = 25;

	private static final Pattern TRANSFER_ID = Pattern.compile("[0-9]{1,18}");

	private final Brands brands;

	private final Wallet wallet;

	private final Runway runway;

	WalletPages(Brands brands, Wallet wallet, Runway runway) {
		this.brands = brands;
		this.wallet = wallet;
		this.runway = runway;
	}

	/**
	 * The wallet; the history is of {@code currency} (default: the brand's), {@code show}
	 * {@code funding} (the default) or {@code all} movements, before the transfer
	 * {@code before}.
	 */
	@GetMapping({ "/portal/wallet", "/portal/wallet/" })
	String wallet(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "currency", required = false) @Nullable String currency,
			@RequestParam(name = "show", required = false) @Nullable String show,
			@RequestParam(name = "before", required = false) @Nullable String before, Model model) {
		Brand brand = this.brands.find(user.brandId())
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		Wallet.WalletView wallet = this.wallet.balances(brand.brandId());
		Wallet.Balance shown = wallet.balances()
			.stream()
			.filter((balance) -> balance.currency().equals((currency != null) ? currency : wallet.currency()))
			.findFirst()
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"The brand has no such currency; choose one of the wallet's currencies."));
		String kind = (show != null) ? show : "funding";
		if (!kind.equals("funding") && !kind.equals("all")) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"Show either the fundings (show=funding) or all movements (show=all).");
		}
		if (before != null && !TRANSFER_ID.matcher(before).matches()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"The history page asked for is not a transfer id; go back to the newest movements.");
		}
		List<Wallet.Movement> movements = this.wallet.movements(brand.brandId(), shown.currency(),
				kind.equals("funding"), (before != null) ? Long.valueOf(before) : null, HISTORY_PAGE + 1);
		boolean more = movements.size() > HISTORY_PAGE;
		List<Wallet.Movement> page = more ? movements.subList(0, HISTORY_PAGE) : movements;
		model.addAttribute("brand", brand);
		model.addAttribute("wallet", wallet);
		model.addAttribute("balances", wallet.balances()
			.stream()
			.map((balance) -> new Amount(balance.currency(), PortalPages.format(balance.balance(), balance.decimals())))
			.toList());
		model.addAttribute("defaultBalance",
				wallet.balances()
					.stream()
					.filter((balance) -> balance.currency().equals(wallet.currency()))
					.findFirst()
					.map((balance) -> PortalPages.format(balance.balance(), balance.decimals()))
					.orElse("0"));
		model.addAttribute("runway", this.runway.of(brand, wallet));
		model.addAttribute("currency", shown.currency());
		model.addAttribute("currencies", wallet.balances().stream().map(Wallet.Balance::currency).toList());
		model.addAttribute("show", kind);
		model.addAttribute("movements",
				page.stream().map((movement) -> MovementRow.of(movement, shown.decimals())).toList());
		model.addAttribute("nextBefore", more ? page.getLast().transferId() : null);
		model.addAttribute("paged", before != null);
		model.addAttribute("fundingCommand", fundingCommand(brand, wallet.currency()));
		model.addAttribute("tokens",
				wallet.balances()
					.stream()
					.filter((balance) -> balance.kind() == CurrencyKind.ONCHAIN_CURRENCY)
					.map(Token::of)
					.toList());
		if (!model.containsAttribute("tokenErrors")) {
			model.addAttribute("tokenErrors", Map.of());
		}
		return "portal/wallet";
	}

	/**
	 * Saves which token an on-chain currency is (admins): an empty field clears it. A
	 * refused value shows the page again with the values typed and the reason.
	 */
	@PostMapping("/portal/wallet/currencies/{code}/token")
	String describeToken(@AuthenticationPrincipal PortalPrincipal user, @PathVariable("code") String code,
			@RequestParam(name = "address", required = false) @Nullable String address,
			@RequestParam(name = "chain_id", required = false) @Nullable String chainId, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		user.require(PortalRole.ADMIN, "describe the wallet's tokens");
		ObjectNode body = JsonNodeFactory.instance.objectNode();
		body.put("address", PortalPages.blankToNull(address));
		body.put("chain_id", PortalPages.blankToNull(chainId));
		try {
			Wallet.Balance saved = this.wallet.describeToken(user.brandId(), code,
					JsonPatch.of(body, Wallet.TOKEN_FIELDS));
			redirect.addFlashAttribute("notice", "Saved the token of " + saved.currency()
					+ ": reward webhooks carry its address and chain from now on.");
			return "redirect:/portal/wallet#tokens";
		}
		catch (ApiException refused) {
			if (refused.status() == HttpStatus.NOT_FOUND) {
				throw new ResponseStatusException(HttpStatus.NOT_FOUND, "The brand has no currency '" + code + "'.");
			}
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			model.addAttribute("tokenErrors", Map.of(code, String.valueOf(refused.getMessage())));
			model.addAttribute("typedToken",
					new Token(code, (address != null) ? address : "", (chainId != null) ? chainId : ""));
			return wallet(user, null, null, null, model);
		}
	}

	/**
	 * An on-chain currency's token as the page shows it ({@code ""}: not set).
	 *
	 * @param currency the currency's code
	 * @param address the token's address
	 * @param chainId its chain
	 */
	public record Token(String currency, String address, String chainId) {

		static Token of(Wallet.Balance balance) {
			return new Token(balance.currency(), (balance.address() != null) ? balance.address() : "",
					(balance.chainId() != null) ? balance.chainId() : "");
		}

	}

	/** The operator's command that funds this brand's wallet. */
	static String fundingCommand(Brand brand, String currency) {
		return """
				curl -X POST "$RESONANCE_URL/admin/v1/brands/%s/wallet/credits" \\
				  -H "Authorization: Bearer $ADMIN_TOKEN" \\
				  -H "Content-Type: application/json" \\
				  -H "Idempotency-Key: top-up-2026-11-01" \\
				  -d '{"amount": 100000, "currency": "%s", "reference": "invoice 42"}'
				""".formatted(brand.brandId(), currency);
	}

	/**
	 * A movement as the page lists it. Public (as every record a template reads) so that
	 * the templates' expressions can read it.
	 *
	 * @param movement the movement
	 * @param amount signed and formatted ({@code +1000.00}, {@code -25.00})
	 * @param at when, UTC
	 */
	public record MovementRow(Wallet.Movement movement, String amount, String at) {

		static MovementRow of(Wallet.Movement movement, int decimals) {
			String amount = PortalPages.format(movement.amount(), decimals);
			return new MovementRow(movement, (movement.amount() > 0) ? "+" + amount : amount,
					PortalPages.TIME.format(movement.createdAt()));
		}

	}

}
