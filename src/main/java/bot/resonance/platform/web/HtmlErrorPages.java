package bot.resonance.platform.web;

import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.util.HtmlUtils;

/**
 * The error page of the Partner Portal ({@code /portal/**}): people read it in a browser,
 * so it is HTML in the portal's style, not a problem document. Whatever raised the error
 * (a page, Spring Security, a filter, the container), it looks the same, says what went
 * wrong in words and links back. Self-contained on purpose: an error page must not depend
 * on the thing that may have failed.
 */
final class HtmlErrorPages {

	private HtmlErrorPages() {
	}

	static boolean wants(HttpServletRequest request) {
		String path = SeedErrors.path(request);
		return path.equals("/portal") || path.startsWith("/portal/");
	}

	static byte[] render(HttpServletRequest request, int status, String detail, @Nullable String requestId) {
		HttpStatus known = HttpStatus.resolve(status);
		String title = switch (status) {
			case 400 -> "That request could not be read";
			case 403 -> "Not allowed";
			case 404 -> "Page not found";
			case 405 -> "Not possible here";
			case 413 -> "Too large";
			case 429 -> "Too many requests";
			default -> (status >= 500) ? "Something went wrong on our side"
					: (known != null) ? known.getReasonPhrase() : "Error";
		};
		String explanation = switch (status) {
			case 403 -> (detail.isBlank() || detail.equals("Forbidden"))
					? "You may not do this. If you came back to an old page, reload it and try again." : detail;
			case 404 -> "There is nothing at this address. It may have moved, or the link was mistyped.";
			default -> (status >= 500) ? "It has been logged. Please try again in a moment." : detail;
		};
		String base = request.getContextPath();
		String html = """
				<!DOCTYPE html>
				<html lang="en">
				<head>
				<meta charset="utf-8">
				<meta name="viewport" content="width=device-width, initial-scale=1">
				<meta name="color-scheme" content="light dark">
				<title>%1$s · Resonance Partner Portal</title>
				<link rel="stylesheet" href="%3$s/portal/assets/portal.css">
				<link rel="icon" type="image/svg+xml" href="%3$s/portal/assets/favicon.svg">
				</head>
				<body>
				<header class="site-header"><a class="brand-mark" href="%3$s/portal">Resonance <span>Partner Portal</span></a></header>
				<main id="main" class="narrow">
				<h1>%1$s</h1>
				<p class="error-status">Error %4$d%5$s</p>
				<p>%2$s</p>
				<p><a href="%3$s/portal">Back to the portal</a></p>
				</main>
				</body>
				</html>
				"""
			.formatted(HtmlUtils.htmlEscape(title), HtmlUtils.htmlEscape(explanation), HtmlUtils.htmlEscape(base),
					status, (requestId != null) ? " · request " + HtmlUtils.htmlEscape(requestId) : "");
		return html.getBytes(StandardCharsets.UTF_8);
	}

}
