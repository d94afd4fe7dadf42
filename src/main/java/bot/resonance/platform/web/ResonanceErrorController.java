package bot.resonance.platform.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers errors raised outside Spring MVC (by filters or the servlet container) in the
 * same shapes as everything else, instead of the default error page.
 */
@RestController
@Hidden
class ResonanceErrorController implements ErrorController {

	private static final Logger log = LoggerFactory.getLogger(ResonanceErrorController.class);

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<Object> error(HttpServletRequest request, HttpServletResponse response) {
		// Refused by the container before the filters ran (TRACE, a path under
		// WEB-INF): the answer still carries a request id.
		RequestIdFilter.assign(request, response);
		Object attribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		if (attribute == null) {
			// Asked for directly, not forwarded here by the container: there is nothing
			// at
			// this path.
			return ErrorResponses.render(request,
					Problems.of(HttpStatus.NOT_FOUND, Problems.codeFor(HttpStatus.NOT_FOUND), "Not Found"), null);
		}
		int status = (attribute instanceof Integer code && code >= 400) ? code : 500;
		if (status == HttpStatus.METHOD_NOT_ALLOWED.value()) {
			// Only the container's refusal of TRACE comes here as a 405 (the error
			// dispatch names it GET); its Allow lists the servlet's methods, without
			// PATCH. Name every method the API answers, as the other refusals do.
			response.setHeader(HttpHeaders.ALLOW, RequestLineFilter.ALLOW);
		}
		Object thrown = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		if (status == 500 && thrown instanceof Throwable failure
				&& ApiExceptionHandler.isDatabaseUnavailable(failure)) {
			// A filter needed the database (an API key, an Idempotency-Key) and could not
			// reach it: worth retrying, as the controllers answer it.
			log.error("The database is unavailable serving {} {}", request.getMethod(),
					request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), failure);
			Object originalUri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
			return ErrorResponses.render((originalUri instanceof String uri) ? new UriOverride(request, uri) : request,
					ApiExceptionHandler.databaseUnavailable(), ApiExceptionHandler.retryShortly());
		}
		HttpStatusCode statusCode = HttpStatusCode.valueOf(status);
		HttpStatus known = HttpStatus.resolve(status);
		String detail = (status >= 500) ? "An internal error occurred. It has been logged; please retry later."
				: (known != null) ? known.getReasonPhrase() : "The request could not be served.";
		// The original URI matters for choosing the shape; the forward to /error replaced
		// it.
		Object originalUri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		HttpServletRequest shapeRequest = (originalUri instanceof String uri) ? new UriOverride(request, uri) : request;
		return ErrorResponses.render(shapeRequest, Problems.of(statusCode, Problems.codeFor(statusCode), detail), null);
	}

	private static final class UriOverride extends jakarta.servlet.http.HttpServletRequestWrapper {

		private final String uri;

		UriOverride(HttpServletRequest request, String uri) {
			super(request);
			this.uri = uri;
		}

		@Override
		public String getRequestURI() {
			return this.uri;
		}

	}

}
