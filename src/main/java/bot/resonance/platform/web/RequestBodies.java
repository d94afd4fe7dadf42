package bot.resonance.platform.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

/** Reads request bodies with a size limit, so a hostile client cannot exhaust memory. */
public final class RequestBodies {

	private RequestBodies() {
	}

	/**
	 * Reads the whole body, failing fast when the declared length or the bytes actually
	 * sent exceed {@code limit}.
	 */
	public static byte[] read(HttpServletRequest request, long limit) throws IOException {
		long declared = request.getContentLengthLong();
		if (declared > limit) {
			throw new BodyTooLargeException(limit);
		}
		try (InputStream in = request.getInputStream()) {
			return (declared >= 0) ? readDeclared(in, (int) declared, limit) : readLimited(in, limit);
		}
	}

	/**
	 * A body of a declared length, read into an array of that size (every event comes
	 * this way: one allocation, no copies); what arrives beyond it still counts against
	 * the limit.
	 */
	static byte[] readDeclared(InputStream in, int declared, long limit) throws IOException {
		byte[] body = in.readNBytes(declared);
		if (body.length < declared) {
			return body;
		}
		int next = in.read();
		if (next == -1) {
			return body;
		}
		if (declared >= limit) {
			throw new BodyTooLargeException(limit);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(declared + 1024);
		out.write(body);
		out.write(next);
		byte[] rest = readLimited(in, limit - declared - 1);
		out.write(rest);
		return out.toByteArray();
	}

	static byte[] readLimited(InputStream in, long limit) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, 8192));
		byte[] buffer = new byte[8192];
		long total = 0;
		int read;
		while ((read = in.read(buffer)) != -1) {
			total += read;
			if (total > limit) {
				throw new BodyTooLargeException(limit);
			}
			out.write(buffer, 0, read);
		}
		return out.toByteArray();
	}

}
