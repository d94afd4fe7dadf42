package bot.resonance.platform.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * Writes an error response from a servlet filter, where controller advice cannot help.
 */
final class FilterErrors {

	private FilterErrors() {
	}

	static void write(JsonMapper json, HttpServletRequest request, HttpServletResponse response, HttpStatus status,
			String code, String detail) throws IOException {
		ResponseEntity<Object> entity = ErrorResponses.render(request, Problems.of(status, code, detail), null);
		response.setStatus(entity.getStatusCode().value());
		entity.getHeaders().forEach((name, values) -> values.forEach((value) -> response.addHeader(name, value)));
		Object body = entity.getBody();
		response.getOutputStream().write((body instanceof byte[] bytes) ? bytes : json.writeValueAsBytes(body));
	}

}
