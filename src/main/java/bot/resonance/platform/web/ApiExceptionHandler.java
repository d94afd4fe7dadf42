package bot.resonance.platform.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every exception that reaches Spring MVC into a clear response: RFC 9457 problems
 * with a stable code, or the seed shape on seed endpoints. Unexpected exceptions are
 * logged and answered with a bare {@code internal_error}: no stack trace or exception
 * text ever reaches a client.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler(ApiException.class)
	ResponseEntity<Object> handleApiException(ApiException ex, WebRequest request) {
		return render(problemOf(ex), ex.headers(), request);
	}

	@ExceptionHandler(Exception.class)
	@Nullable ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
		ApiException api = findApiException(ex);
		if (api != null) {
			return handleApiException(api, request);
		}
		BodyTooLargeException tooLarge = findCause(ex, BodyTooLargeException.class);
		if (tooLarge != null) {
			return render(Problems.of(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", tooLarge.getMessage()), null,
					request);
		}
		if (isDatabaseUnavailable(ex)) {
			// Not the request's fault, and worth retrying: the database cannot be reached
			// (stopped, restarting, out of connections). Its own I/O errors are not a
			// request that could not be read.
			log.error("The database is unavailable serving {}", describe(request), ex);
			return render(databaseUnavailable(), retryShortly(), request);
		}
		IOException io = (findCause(ex, java.sql.SQLException.class) == null
				&& findCause(ex, DataAccessException.class) == null) ? findCause(ex, IOException.class) : null;
		if (io != null) {
			if (isClientAbort(io)) {
				return null; // the client went away; nobody to answer
			}
			// Reading the request failed: a malformed chunked body, a broken upload.
			log.debug("Could not read the request for {}", describe(request), ex);
			return render(Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST,
					"The request body could not be read."), null, request);
		}
		java.sql.SQLException sql = findCause(ex, java.sql.SQLException.class);
		if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
			// A value the database refused (class 22, data exception) that validation let
			// through: the request's fault, not the server's.
			log.warn("The database refused a value serving {}: {}", describe(request), sql.getMessage());
			return render(Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST,
					"The request contains a value that cannot be stored."), null, request);
		}
		if (findCause(ex, InvalidParameterException.class) != null) {
			// The container could not read the form body's fields (the query string's are
			// checked before anything reads them): one without a name, one not
			// percent-encoded UTF-8, or too many.
			return render(Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST,
					"The form body could not be read: a field without a name, a field that is not percent-encoded "
							+ "UTF-8, or too many fields. The API takes JSON bodies (Content-Type: application/json)."),
					null, request);
		}
		if (ex instanceof IllegalArgumentException && isWildcardContentType(request)) {
			// Spring refuses to read a body whose type is a pattern (*/*, application/*):
			// the client named no type, which is its mistake to correct.
			return render(Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					Problems.codeFor(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
					"Content-Type " + request.getHeader(HttpHeaders.CONTENT_TYPE)
							+ " is a pattern, not the type of a body. Send the body as JSON with Content-Type: application/json."),
					null, request);
		}
		log.error("Unexpected error serving {}", describe(request), ex);
		return render(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, Problems.INTERNAL_ERROR,
				"An internal error occurred. It has been logged; please retry later."), null, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ApiException api = findApiException(ex);
		if (api != null) {
			return handleApiException(api, request);
		}
		BodyTooLargeException tooLarge = findCause(ex, BodyTooLargeException.class);
		if (tooLarge != null) {
			return render(Problems.of(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", tooLarge.getMessage()), null,
					request);
		}
		return render(Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST, describeUnreadable(ex)), headers,
				request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = new ArrayList<>();
		for (FieldError error : ex.getBindingResult().getFieldErrors()) {
			Map<String, String> entry = new LinkedHashMap<>();
			entry.put("field", JsonNames.snakeCase(error.getField()));
			entry.put("message", (error.getDefaultMessage() != null) ? error.getDefaultMessage() : "is invalid");
			errors.add(entry);
		}
		String detail = errors.isEmpty() ? "The request is invalid."
				: errors.stream().map((e) -> e.get("field") + " " + e.get("message")).collect(Collectors.joining("; "));
		ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST, detail);
		problem.setProperty("errors", errors);
		return render(problem, headers, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		if (!(ex instanceof MethodArgumentTypeMismatchException mismatch)) {
			return super.handleTypeMismatch(ex, headers, status, request);
		}
		return render(Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST, describeMismatch(mismatch)),
				headers, request);
	}

	/** Says which parameter was wrong and what it takes, echoing a short value. */
	static String describeMismatch(MethodArgumentTypeMismatchException ex) {
		MethodParameter parameter = ex.getParameter();
		String where = parameter.hasParameterAnnotation(PathVariable.class) ? "Path segment"
				: parameter.hasParameterAnnotation(RequestHeader.class) ? "Header" : "Query parameter";
		String name = "'" + ex.getName() + "'";
		Class<?> type = (ex.getRequiredType() != null) ? ex.getRequiredType() : Object.class;
		String text = (ex.getValue() != null) ? ex.getValue().toString() : "";
		if (text.isBlank()) {
			return where + " " + name + " is empty: leave it out or give " + typeName(type) + ".";
		}
		if (text.matches("-?[0-9]+")) {
			return where + " " + name + " is out of range.";
		}
		String shown = (text.length() > 40) ? text.substring(0, 40) + "…" : text;
		return where + " " + name + " must be " + typeName(type) + ", not '" + shown + "'.";
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
			HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
		ProblemDetail given = (body instanceof ProblemDetail problem) ? problem
				// The portal's refusals say why (Spring's own errors keep the reason
				// phrase).
				: (ex instanceof ResponseStatusException refused) ? refused.getBody() : null;
		String detail = (given != null && given.getDetail() != null) ? given.getDetail()
				: HttpStatus.valueOf(statusCode.value()).getReasonPhrase();
		if (ex instanceof HttpMediaTypeNotSupportedException unsupported) {
			List<String> accepted = unsupported.getSupportedMediaTypes().stream().map(Object::toString).toList();
			String sent = request.getHeader(HttpHeaders.CONTENT_TYPE);
			detail = ((unsupported.getContentType() != null)
					? "A body of type " + unsupported.getContentType() + " is not accepted here. "
					: (sent != null) ? "Content-Type " + sent + " is not a media type. "
							: "The request has no Content-Type. ")
					+ (accepted.contains("application/json") || accepted.isEmpty()
							? "Send the body as JSON with Content-Type: application/json."
							: "Send it as " + String.join(" or ", accepted) + ".");
		}
		return render(Problems.of(statusCode, Problems.codeFor(statusCode), detail), headers, request);
	}

	private static boolean isWildcardContentType(WebRequest request) {
		String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return type.isWildcardType() || type.isWildcardSubtype();
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private ResponseEntity<Object> render(ProblemDetail problem, @Nullable HttpHeaders headers, WebRequest request) {
		HttpServletRequest servletRequest = ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
		if (servletRequest == null) {
			return ResponseEntity.status(problem.getStatus()).body(problem);
		}
		return ErrorResponses.render(servletRequest, problem, headers);
	}

	static ProblemDetail problemOf(ApiException ex) {
		ProblemDetail problem = Problems.of(ex.status(), ex.code(), String.valueOf(ex.getMessage()));
		ex.properties().forEach(problem::setProperty);
		return problem;
	}

	private static @Nullable ApiException findApiException(Throwable ex) {
		return findCause(ex, ApiException.class);
	}

	private static <T extends Throwable> @Nullable T findCause(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	/** The answer while the database cannot be reached, from a controller or a filter. */
	static ProblemDetail databaseUnavailable() {
		return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable",
				"The database is unavailable right now. It has been logged; please retry shortly.");
	}

	/** Its {@code Retry-After}. */
	static HttpHeaders retryShortly() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "5");
		return headers;
	}

	/**
	 * No connection to the database: none to be had from the pool, or the one in use
	 * broke (SQLState class 08, connection exception; 57P, the server shutting down).
	 */
	static boolean isDatabaseUnavailable(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof CannotGetJdbcConnectionException
					|| cause instanceof java.sql.SQLTransientConnectionException
					|| cause instanceof java.sql.SQLNonTransientConnectionException) {
				return true;
			}
			if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
				return true;
			}
		}
		return false;
	}

	private static boolean isClientAbort(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			String name = cause.getClass().getSimpleName();
			if (name.equals("ClientAbortException") || name.equals("EOFException")) {
				return true;
			}
		}
		return false;
	}

	private static String describe(WebRequest request) {
		HttpServletRequest servletRequest = ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
		return (servletRequest != null) ? servletRequest.getMethod() + " " + servletRequest.getRequestURI()
				: request.getDescription(false);
	}

	static String describeUnreadable(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getMostSpecificCause();
		if (cause instanceof ValueInstantiationException instantiation && instantiation.getCause() != null) {
			cause = instantiation.getCause();
		}
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return "Unknown field '" + path(unknown) + "'.";
		}
		if (cause instanceof InvalidNullException invalidNull) {
			return "Field '" + path(invalidNull) + "' must not be null.";
		}
		if (cause instanceof MismatchedInputException mismatch) {
			String path = path(mismatch);
			if (path.isEmpty()) {
				return "The request body must be a JSON object.";
			}
			Class<?> target = mismatch.getTargetType();
			return "Field '" + path + "' has the wrong type"
					+ ((target != null) ? ": expected " + typeName(target) : "") + ".";
		}
		if (cause instanceof InputCoercionException coercion) {
			String field = fieldOf(coercion);
			return ((field != null) ? "Field '" + field + "'" : "A number") + " is out of range.";
		}
		if (cause instanceof StreamReadException read
				&& String.valueOf(read.getOriginalMessage()).startsWith("Duplicate Object property")) {
			String field = fieldOf(read);
			return "The request body has a field twice" + ((field != null) ? ": '" + field + "'" : "") + ".";
		}
		if (cause instanceof StreamReadException read) {
			var location = read.getLocation();
			return "The request body is not valid JSON" + ((location != null && location.getLineNr() > 0)
					? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")" : "") + ".";
		}
		if (cause instanceof JacksonException jackson && !path(jackson).isEmpty()) {
			return "Field '" + path(jackson) + "' is invalid.";
		}
		if (String.valueOf(ex.getMessage()).startsWith("Required request body is missing")) {
			return "A JSON request body is required.";
		}
		return "The request body could not be read as JSON.";
	}

	/** The field a parser was on when it failed, from its current path. */
	private static @Nullable String fieldOf(StreamReadException ex) {
		if (!(ex.processor() instanceof JsonParser parser)) {
			return null;
		}
		String pointer = parser.streamReadContext().pathAsPointer().toString();
		return pointer.isEmpty() ? null : pointer.substring(1).replace('/', '.');
	}

	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String typeName(Class<?> type) {
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "a whole number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == String.class || type.isEnum()) {
			return "a string";
		}
		if (type.isArray() || List.class.isAssignableFrom(type)) {
			return "an array";
		}
		return "an object";
	}

}
