package bot.resonance.platform.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Caps request bodies on the JSON APIs ({@code resonance.http.max-body-size}): a declared
 * length over the cap is refused at once with {@code 413}, a chunked body is cut off when
 * it passes the cap. The event endpoint applies its own, smaller cap.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class BodyLimitFilter extends RequestFilter {

	private final long limit;

	private final JsonMapper json;

	BodyLimitFilter(HttpProperties properties, JsonMapper json) {
		this.limit = properties.maxBodySize().toBytes();
		this.json = json;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return SeedErrors.isSeedEndpoint(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > this.limit) {
			FilterErrors.write(this.json, request, response, HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
					"The request body is larger than " + this.limit + " bytes.");
			return;
		}
		chain.doFilter(new LimitedRequest(request, this.limit), response);
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream limited;

		LimitedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.limited == null) {
				ServletInputStream in = super.getInputStream();
				this.limited = new ServletInputStream() {

					private long total;

					@Override
					public int read() throws IOException {
						int b = in.read();
						if (b != -1) {
							count(1);
						}
						return b;
					}

					@Override
					public int read(byte[] buffer, int off, int len) throws IOException {
						int n = in.read(buffer, off, len);
						if (n > 0) {
							count(n);
						}
						return n;
					}

					private void count(int n) throws IOException {
						this.total += n;
						if (this.total > LimitedRequest.this.limit) {
							throw new BodyTooLargeException(LimitedRequest.this.limit);
						}
					}

					@Override
					public boolean isFinished() {
						return in.isFinished();
					}

					@Override
					public boolean isReady() {
						return in.isReady();
					}

					@Override
					public void setReadListener(ReadListener listener) {
						in.setReadListener(listener);
					}

				};
			}
			return this.limited;
		}

	}

}
