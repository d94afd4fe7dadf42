package bot.resonance.portal.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import bot.resonance.analytics.Analytics;
import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.brands.Wallet;
import bot.resonance.rewards.EventView;
import bot.resonance.rewards.RewardEvents;
import bot.resonance.webhooks.Endpoint;
import bot.resonance.webhooks.WebhookAdministration;
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

	/** How many of the latest rejected events the overview lists. */
	static final int RECENT_FAILURES = 5;

	/** How many of the brand's most recent events the overview looks through for them. */
	static final int RECENT_EVENTS_SEARCHED = 1_000;

	/** Endpoints, and dead deliveries per endpoint, the overview counts at most. */
	static final int DEAD_DELIVERIES_COUNTED = 20;

	private final Brands brands;

	private final Analytics analytics;

	private final Wallet wallet;

	private final Runway runway;

	private final RewardEvents events;

	private final WebhookAdministration webhooks;

	private final Clock clock;

	PortalPages(Brands brands, Analytics analytics, Wallet wallet, Runway runway, RewardEvents events,
			WebhookAdministration webhooks, Clock clock) {
		this.brands = brands;
		this.analytics = analytics;
		this.wallet = wallet;
		this.runway = runway;
		this.events = events;
		this.webhooks = webhooks;
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
		Map<String, Integer> decimals = decimals(wallet);
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
		model.addAttribute("runway", this.runway.of(brand, wallet));
		addRecentFailures(brand, today, decimals, model);
		return "portal/overview";
	}

	/**
	 * The latest rejected events (as {@code GET /v1/members/{member}/events} shows them),
	 * the last 7 days' rejections per code ({@code GET /v1/analytics/summary}) and the
	 * webhook deliveries that failed for good ({@code GET /v1/webhooks/{id}/deliveries}
	 * with {@code status=dead}).
	 */
	private void addRecentFailures(Brand brand, LocalDate today, Map<String, Integer> decimals, Model model) {
		List<EventRow> rejected = this.events.recentRejections(brand.brandId(), RECENT_EVENTS_SEARCHED, RECENT_FAILURES)
			.stream()
			.map((event) -> EventRow.of(event, decimals))
			.toList();
		Analytics.Summary week = this.analytics.summary(brand, today.minusDays(Runway.SHORT_DAYS - 1).toString(),
				today.plusDays(1).toString(), "day");
		model.addAttribute("recentRejections", rejected);
		model.addAttribute("rejectedByCode", new TreeMap<>(week.totals().rejectedByCode()));
		model.addAttribute("rejectedThisWeek", week.totals().rejected());
		int dead = 0;
		boolean more = false;
		var endpoints = this.webhooks.list(brand.brandId(), null, DEAD_DELIVERIES_COUNTED);
		for (Endpoint endpoint : endpoints.data()) {
			var deliveries = this.webhooks.deliveries(brand.brandId(), endpoint.id(), "dead", null, null,
					DEAD_DELIVERIES_COUNTED);
			dead += deliveries.data().size();
			more |= deliveries.hasMore();
		}
		model.addAttribute("deadDeliveries", dead + ((more || endpoints.hasMore()) ? "+" : ""));
	}

	static Map<String, Integer> decimals(Wallet.WalletView wallet) {
		Map<String, Integer> decimals = new HashMap<>();
		wallet.balances().forEach((balance) -> decimals.put(balance.currency(), balance.decimals()));
		return decimals;
	}

	/** How the pages show an instant: UTC, to the second. */
	static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

	/** A form field as typed, without surrounding spaces; {@code null} if empty. */
	static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	/** An amount in a currency's smallest unit, in whole units ({@code 1250.00}). */
	static String format(long amount, int decimals) {
		return BigDecimal.valueOf(amount, decimals).toPlainString();
	}

	/**
	 * An event as the pages list it, amounts formatted. Public (as every record a
	 * template reads) so that the templates' expressions can read it.
	 *
	 * @param event the event as the API shows it
	 * @param awarded what it paid, formatted ({@code null} unless it paid something)
	 * @param reason the rejection code, or why it is pending
	 * @param received when it arrived, UTC ({@code 2026-11-01 10:00:00})
	 * @param metadata the metadata sent with it, as sent ({@code ""} if none)
	 * @param metadataStart its first {@value #METADATA_SHOWN} characters and an ellipsis
	 * when it is longer (the rest is behind a disclosure), else {@code ""}
	 */
	public record EventRow(EventView event, String awarded, String reason, String received, String metadata,
			String metadataStart) {

		/** Metadata up to this long is shown whole in a row. */
		static final int METADATA_SHOWN = 120;

		static EventRow of(EventView event, Map<String, Integer> decimals) {
			String currency = (event.currency() != null) ? event.currency() : "";
			String awarded = (event.amountAwarded() != 0)
					? format(event.amountAwarded(), decimals.getOrDefault(currency, 0)) + " " + currency : "";
			String reason = (event.error() != null) ? event.error().code()
					: (event.pendingReason() != null) ? event.pendingReason() : "";
			String metadata = (event.metadata() != null) ? event.metadata() : "";
			String start = (metadata.length() > METADATA_SHOWN) ? metadata.substring(0, METADATA_SHOWN) + "…" : "";
			return new EventRow(event, awarded, reason, TIME.format(event.receivedAt()), metadata, start);
		}

	}

}
