package bot.resonance.portal;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analytics page ({@code /portal/analytics}): the numbers of the analytics API for
 * the user's brand only, as tables (and charts drawn from the same data by a script the
 * server serves), with the API's range rules answered as 422 pages.
 */
@IntegrationTest
class PortalAnalyticsIntegrationTests extends PortalIntegrationTestSupport {

	/**
	 * Seed 001: "Fire a test event, confirm it appears in your Partner Portal analytics".
	 */
	@Test
	void aTestEventAppearsCountedUnderItsType() {
		TestBrand brand = brandWith(10_000, "daily_login", Map.of("amount", 25, "cooldown_seconds", 3600));
		String member = newUserId();
		assertThat(this.client.event(brand, "daily_login", member).status()).isEqualTo(200);
		// The same member again within the cooldown: recorded, rejected.
		assertThat(this.client.event(brand, "daily_login", member).status()).isEqualTo(429);
		PortalBrowser browser = signedInUser(brand, "viewer");

		PortalBrowser.Page page = browser.get("/portal/analytics");
		assertThat(page.status()).as(page.toString()).isEqualTo(200);
		assertThat(typeRow(page.body(), "daily_login")).containsPattern("class=\"number events\">2<")
			.contains(">1<")
			.contains("COOLDOWN_ACTIVE 1")
			.contains("25 ");
		assertThat(page.body()).containsPattern("id=\"analytics-total-events\">2<")
			.containsPattern("id=\"analytics-total-awarded\">1<")
			.containsPattern("id=\"analytics-total-rejected\">1<")
			.containsPattern("id=\"analytics-total-unique\">1<");
		// The top members table names the member awarded.
		assertThat(section(page.body(), "analytics-table-top-members")).contains(member);

		// The same numbers as the API's, for the same range.
		ApiResponse api = this.client.get(brand, "/v1/analytics/summary");
		assertThat(api.json().path("totals").path("events").asLong()).isEqualTo(2);
		assertThat(page.body())
			.contains("id=\"from\" name=\"from\" type=\"date\" value=\"" + api.text("from").substring(0, 10) + "\"");
	}

	@Test
	void theChartsComeFromTheServerWithTheirDataAndNoInlineScript() {
		TestBrand brand = brandWith(10_000, "daily_login", Map.of("amount", 25));
		assertThat(this.client.event(brand, "daily_login", newUserId()).status()).isEqualTo(200);
		PortalBrowser browser = signedInUser(brand, "viewer");
		PortalBrowser.Page page = browser.get("/portal/analytics");

		Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(page.body());
		int external = 0;
		while (scripts.find()) {
			Matcher src = Pattern.compile("src=\"([^\"]+)\"").matcher(scripts.group(1));
			assertThat(src.find()).as("every script is a file: " + scripts.group()).isTrue();
			assertThat(src.group(1)).startsWith("/");
			assertThat(browser.get(src.group(1)).status()).as(src.group(1)).isEqualTo(200);
			external++;
		}
		assertThat(external).as("htmx, confirm.js, chart.js, analytics.js").isEqualTo(4);
		assertThat(page.body()).containsPattern("src=\"/webjars/chart\\.js/[0-9.]+/dist/chart\\.umd\\.js\"")
			.contains("src=\"/portal/assets/analytics.js\"")
			.doesNotContain("style=\"");
		assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").contains("style-src 'self'");
		// Each chart carries its data (escaped into the attribute), beside its table.
		assertThat(page.body()).containsPattern("id=\"analytics-chart-events\"[^>]*data-chart=\"\\{&quot;kind&quot;:"
				+ "&quot;bar&quot;,[^\"]*&quot;labels&quot;:\\[&quot;daily_login&quot;\\]");
		for (String chart : new String[] { "series", "members", "amounts" }) {
			assertThat(page.body()).contains("id=\"analytics-chart-" + chart + "\"");
		}
		assertThat(page.body()).contains("id=\"analytics-table-events\"").contains("id=\"analytics-table-series\"");
	}

	@Test
	void weeksAndMonthsCountEachMemberOnceAndHoursCountEveryEvent() {
		// A Tuesday noon ahead of the shared clock, early enough in its month for
		// Wednesday to be in the same week and month.
		LocalDate tuesday = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC)
			.plusDays(1)
			.with(TemporalAdjusters.nextOrSame(DayOfWeek.TUESDAY));
		while (tuesday.getDayOfMonth() < 2 || tuesday.getDayOfMonth() > 27) {
			tuesday = tuesday.plusWeeks(1);
		}
		Instant noon = tuesday.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(12));
		this.clock.freezeAt(noon);
		TestBrand brand = brandWith(10_000, "daily_login", Map.of("amount", 25));
		String a = newUserId();
		String b = newUserId();
		assertThat(this.client.event(brand, "daily_login", a).status()).isEqualTo(200);
		this.clock.freezeAt(noon.plus(Duration.ofDays(1)));
		assertThat(this.client.event(brand, "daily_login", a).status()).isEqualTo(200);
		assertThat(this.client.event(brand, "daily_login", b).status()).isEqualTo(200);
		PortalBrowser browser = signedInUser(brand, "viewer");
		String from = tuesday.minusDays(1).toString();
		String to = tuesday.plusDays(2).toString();

		// Days: a on Tuesday, a and b on Wednesday.
		String days = browser.get("/portal/analytics?period=day&from=" + from + "&to=" + to).body();
		assertThat(seriesRow(days, tuesday.toString())).contains(">1<");
		assertThat(seriesRow(days, tuesday.plusDays(1).toString())).containsPattern("<td class=\"number\">2</td>");

		// The week (from Monday) and the month: 3 events by 2 members, not 3.
		String week = browser.get("/portal/analytics?period=week&from=" + from + "&to=" + to).body();
		assertThat(week).containsPattern("id=\"analytics-total-events\">3<");
		String weekRow = seriesRow(week, tuesday.minusDays(1).toString());
		assertThat(weekRow).containsPattern("<th scope=\"row\">[^<]+</th>\\s*<td class=\"number\">3</td>");
		assertThat(cells(weekRow)).containsExactly("3", "3", "0", "0", "75 POINT", "2", "2");
		String month = browser.get("/portal/analytics?period=month&from=" + from + "&to=" + to).body();
		assertThat(cells(seriesRow(month, tuesday.minusDays(1).toString()))).containsExactly("3", "3", "0", "0",
				"75 POINT", "2", "2");

		// Hours: one event at Tuesday noon, two at Wednesday noon; no unique members per
		// hour.
		String hours = browser.get("/portal/analytics?period=hour&from=" + from + "&to=" + to).body();
		assertThat(cells(seriesRow(hours, tuesday + " 12:00"))).containsExactly("1", "1", "0", "0", "25 POINT", "–",
				"1");
		assertThat(cells(seriesRow(hours, tuesday.plusDays(1) + " 12:00"))).containsExactly("2", "2", "0", "0",
				"50 POINT", "–", "1");
	}

	@Test
	void anInvalidRangeIsA422PageWithTheApisMessage() {
		TestBrand brand = this.client.createBrand();
		PortalBrowser browser = signedInUser(brand, "viewer");
		assertRefused(browser, "?from=yesterday", "from",
				"from must be an ISO 8601 time with a zone, such as 2026-11-01T00:00:00Z, or a date");
		assertRefused(browser, "?from=2026-11-08&to=2026-11-01", "from", "from must be before to.");
		assertRefused(browser, "?period=day&from=2024-01-01&to=2026-01-01", "to",
				"The range may cover at most 400 days with day granularity.");
		assertRefused(browser, "?period=hour&from=2026-01-01&to=2026-03-01", "to",
				"The range may cover at most 31 days with hour granularity.");
		assertRefused(browser, "?period=week&from=2024-01-01&to=2026-01-01", "to", "at most 400 days");
		assertRefused(browser, "?period=year", "period", "period must be hour, day, week or month.");
		assertRefused(browser, "?from=1999-12-31", "from", "from must be between 2000-01-01 and 9999-12-31.");
		assertRefused(browser, "?from=2026-13-45", "from", "from must be an ISO 8601 time");
		// What was typed comes back escaped.
		PortalBrowser.Page hostile = browser.get("/portal/analytics?from=%3Cscript%3Ealert(1)%3C/script%3E");
		assertThat(hostile.status()).isEqualTo(422);
		assertThat(hostile.body()).contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"")
			.doesNotContain("<script>alert(1)");
	}

	@Test
	void aUserSeesOnlyTheirOwnBrandsAnalytics() {
		TestBrand first = brandWith(10_000, "first_brand_event", Map.of("amount", 25));
		String member = newUserId();
		assertThat(this.client.event(first, "first_brand_event", member).status()).isEqualTo(200);
		TestBrand second = this.client.createBrand();
		PortalBrowser other = signedInUser(second, "admin");
		// Naming the other brand in the request changes nothing.
		PortalBrowser.Page page = other.get("/portal/analytics?brand_id=" + first.brandId());
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).doesNotContain("first_brand_event")
			.doesNotContain(member)
			.containsPattern("id=\"analytics-total-events\">0<");
		assertThat(signedInUser(first, "viewer").get("/portal/analytics").body()).contains("first_brand_event");
	}

	@Test
	void signedOutVisitorsAreSentToSignIn() {
		PortalBrowser.Page page = new PortalBrowser(this.client.base()).get("/portal/analytics");
		assertThat(page.status()).isEqualTo(302);
		assertThat(page.location()).endsWith("/portal/sign-in");
	}

	private static void assertRefused(PortalBrowser browser, String query, String field, String message) {
		PortalBrowser.Page page = browser.get("/portal/analytics" + query);
		assertThat(page.status()).as(query + "\n" + page).isEqualTo(422);
		assertThat(page.header("Content-Type")).startsWith("text/html");
		assertThat(page.body()).contains(message)
			.contains("id=\"range-error\"")
			.containsPattern("id=\"" + field + "\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"range-error\"")
			.doesNotContain("id=\"analytics-table-events\"");
	}

	/** The row of the events-by-type table for {@code type}. */
	private static String typeRow(String body, String type) {
		Matcher row = Pattern.compile("<tr data-event-type=\"" + type + "\">(.*?)</tr>", Pattern.DOTALL).matcher(body);
		assertThat(row.find()).as("a row for " + type + " in\n" + body).isTrue();
		return row.group(1);
	}

	/** The row of the series table whose bucket is labelled {@code label}. */
	private static String seriesRow(String body, String label) {
		Matcher row = Pattern
			.compile("<tr>\\s*<th scope=\"row\">" + Pattern.quote(label) + "</th>(.*?)</tr>", Pattern.DOTALL)
			.matcher(section(body, "analytics-table-series"));
		assertThat(row.find()).as("a series row for " + label + " in\n" + body).isTrue();
		return row.group(0);
	}

	/** The texts of a row's {@code td} cells. */
	private static java.util.List<String> cells(String row) {
		Matcher cell = Pattern.compile("<td[^>]*>([^<]*)</td>").matcher(row);
		java.util.List<String> texts = new java.util.ArrayList<>();
		while (cell.find()) {
			texts.add(cell.group(1));
		}
		return texts;
	}

	private static String section(String body, String id) {
		int start = body.indexOf("id=\"" + id + "\"");
		assertThat(start).as(id + " in\n" + body).isNotNegative();
		return body.substring(start, body.indexOf("</table>", start));
	}

}
