package bot.resonance.portal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person using the portal without a browser: real HTTP with a cookie jar, forms posted
 * as browsers post them, redirects seen (not followed) so tests can check where they go.
 */
final class PortalBrowser {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

	private final String base;

	private final CookieManager cookies = new CookieManager();

	private final HttpClient http;

	PortalBrowser(String base) {
		this.base = base;
		this.http = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.version(HttpClient.Version.HTTP_1_1)
			.build();
	}

	Page get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET());
	}

	/** Follows a redirect as a browser does: the page it leads to. */
	Page follow(Page redirect) {
		if (redirect.status() != 302 && redirect.status() != 303) {
			throw new AssertionError("Not a redirect: " + redirect);
		}
		String location = redirect.location();
		return get(location.startsWith(this.base) ? location.substring(this.base.length()) : location);
	}

	/**
	 * Posts a form as it is, with whatever fields the test gives (a CSRF token or not).
	 */
	Page post(String path, Map<String, String> fields) {
		String body = fields.entrySet()
			.stream()
			.map((field) -> encode(field.getKey()) + "=" + encode(field.getValue()))
			.collect(Collectors.joining("&"));
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/**
	 * Loads {@code formPage} and posts {@code fields} to {@code action} with the CSRF
	 * token the page carries, as a browser submitting its form does.
	 */
	Page submit(String formPage, String action, Map<String, String> fields) {
		Page page = get(formPage);
		Map<String, String> withToken = new LinkedHashMap<>(fields);
		Matcher token = CSRF.matcher(page.body());
		if (token.find()) {
			withToken.put("_csrf", token.group(1));
		}
		return post(action, withToken);
	}

	Page signIn(String email, String password) {
		return submit("/portal/sign-in", "/portal/sign-in", Map.of("email", email, "password", password));
	}

	/** The portal's session cookie, or {@code null}. */
	String sessionId() {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("JSESSIONID"))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElse(null);
	}

	private Page send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Page(response.statusCode(), response.headers().firstValue("Location").orElse(null),
					response.body(), response);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	record Page(int status, String location, String body, HttpResponse<String> response) {

		String csrfToken() {
			Matcher matcher = CSRF.matcher(this.body);
			if (!matcher.find()) {
				throw new AssertionError("No CSRF token on the page: " + this.body);
			}
			return matcher.group(1);
		}

		String header(String name) {
			return this.response.headers().firstValue(name).orElse(null);
		}

		@Override
		public String toString() {
			return this.status + " " + ((this.location != null) ? "-> " + this.location : "") + "\n" + this.body;
		}

	}

}
