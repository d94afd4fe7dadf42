package bot.resonance.platform.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Refuses JSON request bodies that are not well-formed UTF-8 ({@link Utf8}) or hold text
 * PostgreSQL cannot store (see {@link TextChecks}) before they are bound, with a
 * {@code 400} that names the field, rather than failing deep in a query.
 */
@ControllerAdvice
class StorableTextAdvice extends RequestBodyAdviceAdapter {

	private final JsonMapper json;

	StorableTextAdvice(JsonMapper json) {
		this.json = json;
	}

	@Override
	public boolean supports(MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		return JacksonJsonHttpMessageConverter.class.isAssignableFrom(converterType);
	}

	@Override
	public HttpInputMessage beforeBodyRead(HttpInputMessage message, MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
		byte[] body;
		try (InputStream in = message.getBody()) {
			body = in.readAllBytes();
		}
		Utf8.require(body);
		String field = firstUnstorable(body);
		if (field != null) {
			throw ApiException.invalidRequest(((field.isEmpty()) ? "The request body" : "Field '" + field + "'")
					+ " cannot contain NUL characters or unpaired UTF-16 surrogates.");
		}
		HttpHeaders headers = message.getHeaders();
		return new HttpInputMessage() {

			@Override
			public InputStream getBody() {
				return new ByteArrayInputStream(body);
			}

			@Override
			public HttpHeaders getHeaders() {
				return headers;
			}

		};
	}

	/**
	 * The path of the first name or string that cannot be stored, or {@code null}. A body
	 * that is not JSON passes: the converter reports it.
	 */
	private @Nullable String firstUnstorable(byte[] body) {
		try (JsonParser parser = this.json.createParser(body)) {
			JsonToken token;
			while ((token = parser.nextToken()) != null) {
				if ((token == JsonToken.PROPERTY_NAME || token == JsonToken.VALUE_STRING)
						&& !TextChecks.isStorable(parser.getString())) {
					String pointer = parser.streamReadContext().pathAsPointer().toString();
					return pointer.isEmpty() ? "" : pointer.substring(1).replace('/', '.');
				}
			}
			return null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
