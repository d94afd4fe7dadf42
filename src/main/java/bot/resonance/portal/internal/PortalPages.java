package bot.resonance.portal.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import bot.resonance.analytics.Analytics;
import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.brands.Wallet;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.server.ResponseStatusException;

/**
 * The portal's pages so far: sign-in and the overview. Each reads another module's
 * service for the signed-in user's brand.
 */
@Controller
class PortalPages {

	private final Brands brands;

	private final Analytics analytics;

	private final Wallet wallet;

	private final Clock clock;

	PortalPages(Brands brands, Analytics analytics, Wallet wallet, Clock clock) {
		this.brands = brands;
		this.analytics = analytics;
		this.wallet = wallet;
		this.clock = clock;
	}

	@GetMapping(PortalSecurityConfiguration.SIGN_IN)
	String signIn() {
		return "portal/sign-in";
	}

	@GetMapping({ "/portal", "/portal/" })
	String overview(@AuthenticationPrincipal PortalPrincipal user, Model model) {
		Brand brand = this.brands.find(user.brandId())
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		Analytics.Summary summary = this.analytics.summary(brand, today.toString(), today.plusDays(1).toString(),
				"day");
		Wallet.WalletView wallet = this.wallet.balances(brand.brandId());
		Map<String, Integer> decimals = new HashMap<>();
		wallet.balances().forEach((balance) -> decimals.put(balance.currency(), balance.decimals()));
		List<Amount> awarded = summary.totals()
			.amountAwarded()
			.entrySet()
			.stream()
			.map((entry) -> new Amount(entry.getKey(),
					format(entry.getValue(), decimals.getOrDefault(entry.getKey(), 0))))
			.toList();
		List<Amount> balances = wallet.balances()
			.stream()
			.map((balance) -> new Amount(balance.currency(), format(balance.balance(), balance.decimals())))
			.toList();
		model.addAttribute("brand", brand);
		model.addAttribute("today", today);
		model.addAttribute("totals", summary.totals());
		model.addAttribute("awarded", awarded);
		model.addAttribute("balances", balances);
		return "portal/overview";
	}

	private static String format(long amount, int decimals) {
		return BigDecimal.valueOf(amount, decimals).toPlainString();
	}

}
