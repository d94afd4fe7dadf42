package bot.resonance.platform.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Refuses a path or query string with an encoded NUL ({@code %00}) before anything reads
 * it, and a Partner Portal form with one in a field: no identifier, cursor, name or
 * address contains one, and PostgreSQL cannot store it. Refuses as well a query string
 * that is not percent-encoded UTF-8, and a portal form the container cannot decode: the
 * container would fail the first reader of such a parameter (a template, a handler's
 * argument) with an exception, and drop the parameter silently for later requests.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class StorableTextFilter extends RequestFilter {

	private final JsonMapper json;

	private final int maxParameters;

	StorableTextFilter(JsonMapper json, @Value("${server.tomcat.max-parameter-count:1000}") int maxParameters) {
		this.json = json;
		this.maxParameters = maxParameters;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (hasNul(request.getRequestURI()) || hasNul(request.getQueryString())) {
			FilterErrors.write(this.json, request, response, HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST,
					"The URL cannot contain NUL characters (%00).");
			return;
		}
		String query = request.getQueryString();
		if (!isPercentEncodedUtf8(query)) {
			FilterErrors.write(this.json, request, response, HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST,
					"The query string is not valid: each % must start an escape of two hexadecimal digits, and "
							+ "the escapes must spell UTF-8.");
			return;
		}
		String parameters = parametersProblem(query, this.maxParameters);
		if (parameters != null) {
			FilterErrors.write(this.json, request, response, HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST,
					parameters);
			return;
		}
		if (!isPortalForm(request)) {
			chain.doFilter(request, response);
			return;
		}
		Map<String, String[]> fields;
		try {
			fields = request.getParameterMap();
		}
		catch (IllegalStateException ex) {
			FilterErrors.write(this.json, request, response, HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST,
					"The form could not be read: a field without a name, a field that is not percent-encoded "
							+ "UTF-8, or too many fields. Send the form from its page again.");
			return;
		}
		if (fields.values()
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

	/**
	 * Whether a query string (as sent) decodes to UTF-8: every {@code %} followed by two
	 * hexadecimal digits, and the bytes they and the other characters make well-formed.
	 */
	static boolean isPercentEncodedUtf8(@Nullable String query) {
		if (query == null) {
			return true;
		}
		boolean ascii = true;
		for (int i = 0; i < query.length(); i++) {
			char c = query.charAt(i);
			if (c == '%' || c > 0x7f) {
				ascii = false;
				break;
			}
		}
		if (ascii) {
			return true;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(query.length());
		for (int i = 0; i < query.length(); i++) {
			char c = query.charAt(i);
			if (c == '%') {
				if (i + 2 >= query.length() || !HexFormat.isHexDigit(query.charAt(i + 1))
						|| !HexFormat.isHexDigit(query.charAt(i + 2))) {
					return false;
				}
				bytes.write((HexFormat.fromHexDigit(query.charAt(i + 1)) << 4)
						| HexFormat.fromHexDigit(query.charAt(i + 2)));
				i += 2;
			}
			else if (c > 0x7f) {
				// Sent unescaped (the container refuses such bytes by default): the
				// character as it was read.
				bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
			}
			else {
				bytes.write(c);
			}
		}
		return Utf8.malformedAt(bytes.toByteArray()) < 0;
	}

	/**
	 * What the container would refuse in a query string's parameters (it fails whoever
	 * reads the first of them): one without a name ({@code =x}), or more than {@code max}
	 * of them ({@code server.tomcat.max-parameter-count}; negative: no limit).
	 * {@code null} if there is neither.
	 */
	static @Nullable String parametersProblem(@Nullable String query, int max) {
		if (query == null || query.isEmpty()) {
			return null;
		}
		int count = 0;
		int start = 0;
		while (start <= query.length()) {
			int end = query.indexOf('&', start);
			if (end < 0) {
				end = query.length();
			}
			if (end > start) {
				if (query.charAt(start) == '=') {
					return "The query string has a parameter without a name (" + ((end - start > 20)
							? query.substring(start, start + 20) + "…" : query.substring(start, end))
							+ "). Write each parameter as name=value.";
				}
				count++;
			}
			start = end + 1;
		}
		if (max >= 0 && count > max) {
			return "The query string has " + count + " parameters; at most " + max + " are read.";
		}
		return null;
	}

	private static boolean hasNul(@Nullable String text) {
		return text != null && (text.indexOf('\u0000') >= 0 || text.toLowerCase(Locale.ROOT).contains("%00"));
	}

}
