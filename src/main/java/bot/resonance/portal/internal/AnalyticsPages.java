package bot.resonance.portal.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.analytics.Analytics;
import bot.resonance.brands.Brand;
import bot.resonance.brands.Brands;
import bot.resonance.brands.Wallet;
import bot.resonance.platform.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The analytics page ({@code /portal/analytics}): what {@code GET /v1/analytics/summary}
 * and {@code GET /v1/analytics/top-members} answer for the signed-in user's brand, as
 * charts (Chart.js from a webjar, drawn by {@code analytics.js} from the JSON in each
 * canvas's {@code data-chart}) and the same numbers as tables. The range and period are
 * checked by {@link Analytics}, exactly as the API checks them.
 */
@Controller
class AnalyticsPages {

	static final List<String> PERIODS = List.of("hour", "day", "week", "month");

	private final Brands brands;

	private final Analytics analytics;

	private final Wallet wallet;

	private final JsonMapper json;

	AnalyticsPages(Brands brands, Analytics analytics, Wallet wallet, JsonMapper json) {
		this.brands = brands;
		this.analytics = analytics;
		this.wallet = wallet;
		this.json = json;
	}

	@GetMapping("/portal/analytics")
	String analytics(@AuthenticationPrincipal PortalPrincipal user,
			@RequestParam(name = "period", required = false) @Nullable String period,
			@RequestParam(name = "from", required = false) @Nullable String from,
			@RequestParam(name = "to", required = false) @Nullable String to, Model model,
			HttpServletResponse response) {
		Brand brand = this.brands.find(user.brandId())
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		String chosen = PortalPages.blankToNull(period);
		String start = PortalPages.blankToNull(from);
		String end = PortalPages.blankToNull(to);
		model.addAttribute("periods", PERIODS);
		model.addAttribute("period", (chosen != null) ? chosen : "day");
		model.addAttribute("from", (start != null) ? start : "");
		model.addAttribute("to", (end != null) ? end : "");
		Analytics.Summary summary;
		Analytics.TopMembers top;
		try {
			summary = this.analytics.summaryByPeriod(brand, start, end, chosen);
			top = this.analytics.topMembers(brand, day(summary.from(), false).toString(),
					day(summary.to(), true).toString(), null, null);
		}
		catch (ApiException ex) {
			response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
			model.addAttribute("errorField", field(ex));
			model.addAttribute("error", ex.getMessage());
			return "portal/analytics";
		}
		if (start == null && isMidnight(summary.from())) {
			model.addAttribute("from", day(summary.from(), false).toString());
		}
		if (end == null && isMidnight(summary.to())) {
			model.addAttribute("to", day(summary.to(), false).toString());
		}
		Map<String, Integer> decimals = new HashMap<>();
		this.wallet.balances(brand.brandId())
			.balances()
			.forEach((balance) -> decimals.put(balance.currency(), balance.decimals()));
		Amounts amounts = new Amounts(decimals);

		List<String> labels = summary.series().stream().map((bucket) -> label(bucket.start(), summary)).toList();
		List<SeriesRow> series = new ArrayList<>();
		for (int i = 0; i < labels.size(); i++) {
			Analytics.Summary.Bucket bucket = summary.series().get(i);
			series.add(
					new SeriesRow(labels.get(i), bucket.events(), bucket.awarded(), bucket.pending(), bucket.rejected(),
							amounts.text(bucket.amountAwarded()), bucket.uniqueMembers(), bucket.newMembers()));
		}
		List<TypeRow> types = summary.byEventType()
			.stream()
			.map((type) -> new TypeRow(type.eventType(), type.events(), type.awarded(), type.pending(), type.rejected(),
					amounts.text(type.amountAwarded()), codes(type.rejectedByCode())))
			.toList();
		List<TopRow> topRows = new ArrayList<>();
		for (int i = 0; i < top.data().size(); i++) {
			Analytics.TopMembers.Entry entry = top.data().get(i);
			topRows.add(new TopRow(i + 1, entry.memberId(), entry.userId(), entry.userIdentifier(),
					amounts.format(top.currency(), entry.amountAwarded()), entry.events()));
		}

		model.addAttribute("summary", summary);
		model.addAttribute("totals", summary.totals());
		model.addAttribute("range", label(summary.from(), summary) + " until " + label(summary.to(), summary));
		model.addAttribute("awarded", amounts.list(summary.totals().amountAwarded()));
		model.addAttribute("rejections", summary.totals().rejectedByCode());
		model.addAttribute("series", series);
		model.addAttribute("types", types);
		model.addAttribute("top", top);
		model.addAttribute("topFrom", day(top.from(), false));
		model.addAttribute("topTo", day(top.to(), false));
		model.addAttribute("topRows", topRows);
		model.addAttribute("eventsChart", eventsChart(types));
		model.addAttribute("seriesChart", seriesChart(labels, summary));
		model.addAttribute("membersChart", membersChart(labels, summary));
		model.addAttribute("amountsChart", amountsChart(labels, summary, amounts));
		return "portal/analytics";
	}

	/** Events by type, stacked by outcome. */
	private String eventsChart(List<TypeRow> types) {
		List<String> labels = types.stream().map(TypeRow::name).toList();
		return chart("bar", true, true, labels,
				List.of(dataset("Awarded", types.stream().map(TypeRow::awarded).toList()),
						dataset("Pending", types.stream().map(TypeRow::pending).toList()),
						dataset("Rejected", types.stream().map(TypeRow::rejected).toList())));
	}

	/** Events per bucket, stacked by outcome. */
	private String seriesChart(List<String> labels, Analytics.Summary summary) {
		List<Analytics.Summary.Bucket> buckets = summary.series();
		return chart("bar", true, false, labels,
				List.of(dataset("Awarded", buckets.stream().map(Analytics.Summary.Bucket::awarded).toList()),
						dataset("Pending", buckets.stream().map(Analytics.Summary.Bucket::pending).toList()),
						dataset("Rejected", buckets.stream().map(Analytics.Summary.Bucket::rejected).toList())));
	}

	/** Unique (when the API gives them per bucket) and new members per bucket. */
	private String membersChart(List<String> labels, Analytics.Summary summary) {
		List<Map<String, Object>> datasets = new ArrayList<>();
		if (summary.series().stream().allMatch((bucket) -> bucket.uniqueMembers() != null)) {
			datasets.add(dataset("Unique members",
					summary.series().stream().map(Analytics.Summary.Bucket::uniqueMembers).toList()));
		}
		datasets
			.add(dataset("New members", summary.series().stream().map(Analytics.Summary.Bucket::newMembers).toList()));
		return chart("line", false, false, labels, datasets);
	}

	/** Amounts awarded per bucket, one line per currency, in whole units. */
	private String amountsChart(List<String> labels, Analytics.Summary summary, Amounts amounts) {
		TreeSet<String> currencies = new TreeSet<>();
		summary.series().forEach((bucket) -> currencies.addAll(bucket.amountAwarded().keySet()));
		List<Map<String, Object>> datasets = new ArrayList<>();
		for (String currency : currencies) {
			datasets.add(dataset(currency,
					summary.series()
						.stream()
						.map((bucket) -> amounts.number(currency, bucket.amountAwarded().getOrDefault(currency, 0L)))
						.toList()));
		}
		return chart("line", false, false, labels, datasets);
	}

	private String chart(String kind, boolean stacked, boolean horizontal, List<String> labels,
			List<Map<String, Object>> datasets) {
		Map<String, Object> chart = new LinkedHashMap<>();
		chart.put("kind", kind);
		chart.put("stacked", stacked);
		chart.put("horizontal", horizontal);
		chart.put("labels", labels);
		chart.put("datasets", datasets);
		return this.json.writeValueAsString(chart);
	}

	private static Map<String, Object> dataset(String label, List<? extends @Nullable Object> data) {
		Map<String, Object> dataset = new LinkedHashMap<>();
		dataset.put("label", label);
		dataset.put("data", data);
		return dataset;
	}

	private static String label(Instant instant, Analytics.Summary summary) {
		return switch (summary.granularity()) {
			case "hour" -> DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(instant.atOffset(ZoneOffset.UTC));
			case "month" -> (instant.equals(summary.to()) || isFirstOfMonth(instant))
					? DateTimeFormatter.ofPattern("yyyy-MM").format(instant.atOffset(ZoneOffset.UTC))
					: day(instant, false).toString();
			default -> day(instant, false).toString();
		};
	}

	private static boolean isFirstOfMonth(Instant instant) {
		return day(instant, false).getDayOfMonth() == 1;
	}

	private static String codes(Map<String, Long> byCode) {
		return byCode.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + " " + entry.getValue())
			.collect(Collectors.joining(", "));
	}

	/**
	 * The UTC day of an instant, or with {@code roundUp} the day after it if not
	 * midnight.
	 */
	private static LocalDate day(Instant instant, boolean roundUp) {
		LocalDate day = LocalDate.ofInstant(instant, ZoneOffset.UTC);
		return (roundUp && !isMidnight(instant)) ? day.plusDays(1) : day;
	}

	private static boolean isMidnight(Instant instant) {
		return instant.truncatedTo(ChronoUnit.DAYS).equals(instant);
	}

	/** The parameter a refusal names ({@code errors[0].field}), for the form. */
	private static String field(ApiException ex) {
		if (ex.properties().get("errors") instanceof List<?> errors && !errors.isEmpty()
				&& errors.getFirst() instanceof Map<?, ?> error && error.get("field") instanceof String name) {
			return name;
		}
		return "from";
	}

	/** Amounts in their currency's smallest unit, shown in whole units. */
	private record Amounts(Map<String, Integer> decimals) {

		BigDecimal number(String currency, long amount) {
			return BigDecimal.valueOf(amount, this.decimals.getOrDefault(currency, 0));
		}

		String format(String currency, long amount) {
			return number(currency, amount).toPlainString();
		}

		List<Amount> list(Map<String, Long> byCurrency) {
			return byCurrency.entrySet()
				.stream()
				.map((entry) -> new Amount(entry.getKey(), format(entry.getKey(), entry.getValue())))
				.toList();
		}

		String text(Map<String, Long> byCurrency) {
			return byCurrency.entrySet()
				.stream()
				.map((entry) -> format(entry.getKey(), entry.getValue()) + " " + entry.getKey())
				.collect(Collectors.joining(", "));
		}

	}

	/**
	 * One bucket of the series, as its table row.
	 *
	 * @param label the bucket's start, as the page shows it
	 * @param amounts amounts awarded ({@code "1250 POINT, 1.5 RSNC"})
	 * @param uniqueMembers {@code null} where the API gives none (hours)
	 */
	public record SeriesRow(String label, long events, long awarded, long pending, long rejected, String amounts,
			@Nullable Long uniqueMembers, long newMembers) {
	}

	/**
	 * One event type's totals.
	 *
	 * @param eventType {@code null} for requests that named none
	 * @param rejections rejected by code ({@code "COOLDOWN_ACTIVE 3"})
	 */
	public record TypeRow(@Nullable String eventType, long events, long awarded, long pending, long rejected,
			String amounts, String rejections) {

		/** The type's name, or a note for requests that named none. */
		public String name() {
			return Objects.requireNonNullElse(this.eventType, "(no event type)");
		}

	}

	/**
	 * A member among the top members.
	 *
	 * @param amountAwarded in whole units of the ranked currency
	 */
	public record TopRow(int rank, String memberId, @Nullable String userId, @Nullable String userIdentifier,
			String amountAwarded, long events) {
	}

}
