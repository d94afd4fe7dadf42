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
			return readLimited(in, limit);
		}
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
