package bot.resonance.platform.web;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Refuses a path or query string with an encoded NUL ({@code %00}) before anything reads
 * it, and a Partner Portal form with one in a field: no identifier, cursor, name or
 * address contains one, and PostgreSQL cannot store it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class StorableTextFilter extends RequestFilter {

	private final JsonMapper json;

	StorableTextFilter(JsonMapper json) {
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (hasNul(request.getRequestURI()) || hasNul(request.getQueryString())) {
			FilterErrors.write(this.json, request, response, HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST,
					"The URL cannot contain NUL characters (%00).");
			return;
		}
		if (isPortalForm(request) && request.getParameterMap()
			.values()
			.stream()
			.flatMap(java.util.Arrays::stream)
			.anyMatch((value) -> value.indexOf('\u0000') >= 0)) {
			FilterErrors.write(this.json, request, response, HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST,
					"A field of the form contains a NUL character, which no value can hold. Remove it and send "
							+ "the form again.");
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * A form sent to the Partner Portal: its fields are read as parameters anyway (the
	 * API's bodies are not, and are read as they came).
	 */
	private static boolean isPortalForm(HttpServletRequest request) {
		String contentType = request.getContentType();
		return HtmlErrorPages.wants(request) && contentType != null
				&& (contentType.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
						|| contentType.regionMatches(true, 0, "multipart/form-data", 0, 19));
	}

	private static boolean hasNul(@Nullable String text) {
		return text != null && (text.indexOf('\u0000') >= 0 || text.toLowerCase(Locale.ROOT).contains("%00"));
	}

}
