package bot.resonance.analytics.internal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import bot.resonance.brands.AuthenticatedBrand;
import bot.resonance.analytics.Analytics;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/analytics/summary} and {@code GET /v1/analytics/top-members}: what a
 * brand's events came to over a range of UTC hours or days (docs/analytics.md).
 */
@RestController
@RequestMapping("/v1/analytics")
@Tag(name = "Analytics",
		description = "Events by type and outcome, amounts awarded, unique and new members, over UTC hours or days; the members awarded the most.")
@SecurityRequirement(name = "apiKey")
class AnalyticsController {

	private final Analytics analytics;

	AnalyticsController(Analytics analytics) {
		this.analytics = analytics;
	}

	@GetMapping("/summary")
	@Operation(operationId = "getAnalyticsSummary", summary = "Summarise the brand's events over a range",
			responses = @ApiResponse(responseCode = "200",
					description = "The range's totals, totals per event type, and one bucket per hour or day"),
			description = "Events received in [from, to) by outcome, rejection code and event type, amounts awarded per currency, unique and new members, and a series per UTC hour or day. Events count in the hour they were received, with their current outcome. Defaults: the last 7 days (day) or 24 hours (hour), up to the end of the current bucket.")
	Analytics.Summary summary(AuthenticatedBrand caller,
			@Parameter(
					description = "Start (inclusive): an ISO 8601 time at a bucket boundary, or a date.") @RequestParam(
							name = "from", required = false) @Nullable String from,
			@Parameter(description = "End (exclusive).") @RequestParam(name = "to",
					required = false) @Nullable String to,
			@Parameter(description = "day (default; ranges up to 400 days) or hour (up to 31 days).") @RequestParam(
					name = "granularity", required = false) @Nullable String granularity) {
		return this.analytics.summary(caller.brand(), from, to, granularity);
	}

	@GetMapping("/top-members")
	@Operation(operationId = "getTopMembers", summary = "The members awarded the most over a range of days",
			responses = @ApiResponse(responseCode = "200",
					description = "The members awarded the most, ranked, with the range and the currency ranked by"),
			description = "Ranked by the amount awarded in one currency (default: the brand's) for events received on the UTC days [from, to), then by events, with their events of any outcome in the range. Default range: the last 30 days, today included.")
	Analytics.TopMembers topMembers(AuthenticatedBrand caller,
			@Parameter(description = "First day (inclusive): a date or a UTC midnight.") @RequestParam(name = "from",
					required = false) @Nullable String from,
			@Parameter(description = "End (exclusive): a date or a UTC midnight.") @RequestParam(name = "to",
					required = false) @Nullable String to,
			@Parameter(description = "1 to 100, default 10.") @RequestParam(name = "limit",
					required = false) @Nullable String limit,
			@Parameter(description = "The currency ranked by; default the brand's.") @RequestParam(name = "currency",
					required = false) @Nullable String currency) {
		return this.analytics.topMembers(caller.brand(), from, to, limit, currency);
	}

}
