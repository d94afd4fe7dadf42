package bot.resonance.brands.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import bot.resonance.platform.web.ApiException;

/**
 * The web domains a brand's manual events come from: host names, lower case, compared
 * with the host of a request's {@code Origin}.
 */
public final class Domains {

	private static final Pattern HOST = Pattern
		.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

	private Domains() {
	}

	/**
	 * Host names from what a brand typed: {@code shop.example.com}, or a URL such as
	 * {@code https://shop.example.com/} whose host is taken.
	 * @throws ApiException if one is not a host name
	 */
	static List<String> normalise(List<String> given) {
		LinkedHashSet<String> domains = new LinkedHashSet<>();
		for (String value : given) {
			domains.add(host(value).orElseThrow(() -> ApiException.invalidRequest("domains: '" + value
					+ "' is not a host name (shop.example.com) or an origin (https://shop.example.com).")));
		}
		return new ArrayList<>(domains);
	}

	/**
	 * The host of an {@code Origin} header or a typed domain, lower case, if it has one.
	 */
	public static Optional<String> host(@Nullable String value) {
		if (value == null || value.isBlank() || value.length() > 2048) {
			return Optional.empty();
		}
		String text = value.trim();
		String host;
		if (text.contains("://")) {
			try {
				host = URI.create(text).getHost();
			}
			catch (IllegalArgumentException ex) {
				return Optional.empty();
			}
		}
		else {
			host = text.replaceFirst(":[0-9]{1,5}$", "");
		}
		if (host == null) {
			return Optional.empty();
		}
		host = host.toLowerCase(Locale.ROOT);
		if (host.endsWith(".")) {
			host = host.substring(0, host.length() - 1);
		}
		return HOST.matcher(host).matches() ? Optional.of(host) : Optional.empty();
	}

}
