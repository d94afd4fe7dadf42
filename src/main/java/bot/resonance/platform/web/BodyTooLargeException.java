package bot.resonance.platform.web;

import java.io.IOException;

/** A request body went past its size limit while being read. */
public class BodyTooLargeException extends IOException {

	private final long limit;

	public BodyTooLargeException(long limit) {
		super("The request body is larger than " + limit + " bytes.");
		this.limit = limit;
	}

	public long limit() {
		return this.limit;
	}

}
