package bot.resonance.platform.web;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.stereotype.Component;

/**
 * Tomcat's last-resort error report, for requests it refuses before any servlet sees them
 * (a malformed path, an encoded slash): the same JSON as every other error, instead of
 * Tomcat's HTML page. Installed as the host's error report valve.
 */
public class JsonErrorReportValve extends ErrorReportValve {

	private static final JsonMapper JSON = JsonMapper.builder()
		.addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
		.build();

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		String transferEncoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
		if (status == HttpStatus.NOT_IMPLEMENTED.value() && transferEncoding == null) {
			// Tomcat's answer to CONNECT: the client's mistake, answered as the filters
			// answer any other method no endpoint has.
			response.setStatus(HttpStatus.METHOD_NOT_ALLOWED.value());
			response.setHeader(HttpHeaders.ALLOW, RequestLineFilter.ALLOW);
			status = HttpStatus.METHOD_NOT_ALLOWED.value();
		}
		HttpStatusCode code = HttpStatusCode.valueOf(status);
		String detail = detail(request, status, transferEncoding);
		ProblemDetail problem = Problems.of(code, Problems.codeFor(code), detail);
		try {
			// Refused before the filters ran: the answer still carries a request id.
			problem.setProperty("request_id", RequestIdFilter.assign(request, response));
		}
		catch (RuntimeException ex) {
			// A request too broken to read a header of: answered without one.
		}
		Object body = problem;
		String contentType = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
		try {
			ResponseEntity<Object> entity = ErrorResponses.render(request, problem, null);
			body = entity.getBody();
			contentType = String.valueOf(entity.getHeaders().getContentType());
		}
		catch (RuntimeException ex) {
			// The request is too broken to tell its endpoint: answer with a problem.
		}
		try {
			response.setContentType(contentType);
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write((body instanceof byte[] bytes) ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
						: JSON.writeValueAsString(body));
				response.finishResponse();
			}
		}
		catch (IOException | RuntimeException ex) {
			// Nothing more can be done for this response.
		}
	}

	/** Makes {@link JsonErrorReportValve} the host's error report valve. */
	@Component
	static class Installer implements TomcatContextCustomizer {

		@Override
		public void customize(org.apache.catalina.Context context) {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
			}
		}

	}

	/** What the answer says of a request refused with {@code status}. */
	private static String detail(Request request, int status, @Nullable String transferEncoding) {
		if (status == HttpStatus.METHOD_NOT_ALLOWED.value()
				&& !RequestLineFilter.METHODS.contains(request.getMethod())) {
			return RequestLineFilter.refusal(request.getMethod());
		}
		if (status == HttpStatus.NOT_IMPLEMENTED.value() && transferEncoding != null) {
			return "Transfer-Encoding " + printable(transferEncoding)
					+ " is not supported: send the body with a Content-Length, or chunked.";
		}
		if (status == 400) {
			return "The request is malformed or too large: check the path for invalid characters, "
					+ "and keep the request line and headers within the size limit (8 KB by default).";
		}
		HttpStatus known = HttpStatus.resolve(status);
		return (known != null) ? known.getReasonPhrase() : "The request failed.";
	}

	/** A header's value as it may be quoted in an answer: printable ASCII, cut short. */
	private static String printable(String value) {
		StringBuilder quoted = new StringBuilder();
		for (int i = 0; i < value.length() && quoted.length() < 64; i++) {
			char c = value.charAt(i);
			quoted.append((c >= 0x20 && c < 0x7f) ? c : '?');
		}
		return quoted.toString();
	}

}
