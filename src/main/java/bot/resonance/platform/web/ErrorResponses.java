package bot.resonance.platform.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Renders an error as a problem document, in the seed shape when the request targets a
 * seed endpoint, or as an HTML page inside the Partner Portal. The single place that
 * decides how errors look, for controllers and for the container's error page alike.
 */
public final class ErrorResponses {

	private ErrorResponses() {
	}

	public static ResponseEntity<Object> render(HttpServletRequest request, ProblemDetail problem,
			@Nullable HttpHeaders headers) {
		HttpHeaders responseHeaders = new HttpHeaders();
		if (headers != null) {
			responseHeaders.putAll(headers);
		}
		responseHeaders.remove(HttpHeaders.CONTENT_TYPE);
		if (HtmlErrorPages.wants(request)) {
			responseHeaders.setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
			String detail = (problem.getDetail() != null) ? problem.getDetail() : "";
			return ResponseEntity.status(problem.getStatus())
				.headers(responseHeaders)
				.body(HtmlErrorPages.render(request, problem.getStatus(), detail, RequestIdFilter.of(request)));
		}
		if (SeedErrors.isSeedEndpoint(request)) {
			responseHeaders.setContentType(MediaType.APPLICATION_JSON);
			Map<String, Object> properties = problem.getProperties();
			String code = (properties != null && properties.get("code") instanceof String c) ? c
					: Problems.codeFor(org.springframework.http.HttpStatusCode.valueOf(problem.getStatus()));
			Long retryAfter = (properties != null && properties.get("retry_after") instanceof Number n) ? n.longValue()
					: null;
			String message = (problem.getDetail() != null) ? problem.getDetail() : problem.getTitle();
			return ResponseEntity.status(problem.getStatus())
				.headers(responseHeaders)
				.body(SeedErrors.body(code, (message != null) ? message : code, retryAfter, null));
		}
		responseHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (problem.getInstance() == null) {
			// What Spring's handlers set, for the answers written by filters too.
			String path = request.getRequestURI();
			if (path != null) {
				problem.setInstance(instance(path));
			}
		}
		String requestId = RequestIdFilter.of(request);
		if (requestId != null) {
			problem.setProperty("request_id", requestId);
		}
		return ResponseEntity.status(problem.getStatus()).headers(responseHeaders).body(problem);
	}

	/**
	 * A request's path as a problem's {@code instance}. A path that is no URI reference
	 * as it came ({@code //} reads as an authority with nothing in it) is given with its
	 * leading slashes collapsed, and what a URI cannot hold escaped: always some
	 * instance, since Spring would otherwise try the raw path itself and fail the answer.
	 */
	static URI instance(String path) {
		try {
			return URI.create(path);
		}
		catch (IllegalArgumentException ex) {
			try {
				return new URI(null, null, path.replaceFirst("^/+", "/"), null);
			}
			catch (URISyntaxException unusable) {
				return URI.create("/");
			}
		}
	}

}
