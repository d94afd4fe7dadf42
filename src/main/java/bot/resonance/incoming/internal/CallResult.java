package bot.resonance.incoming.internal;

import org.jspecify.annotations.Nullable;

/**
 * The answer to a call, as sent and as logged.
 *
 * @param callId the call it answers ({@code null} only when no hook was found)
 * @param status the HTTP status
 * @param errorCode the problem's code, for errors
 * @param body the JSON body
 * @param retryAfterSeconds the {@code Retry-After} to send, if any
 * @param replayed whether this repeats the stored answer of an earlier call with the same
 * idempotency key
 */
record CallResult(@Nullable String callId, int status, @Nullable String errorCode, String body,
		@Nullable Long retryAfterSeconds, boolean replayed) {

	/** {@code succeeded}, {@code rejected}, {@code failed} or {@code replayed}. */
	String outcome() {
		if (this.replayed) {
			return "replayed";
		}
		return (this.status < 400) ? "succeeded" : (this.status < 500) ? "rejected" : "failed";
	}

	/**
	 * Whether the answer is final for its idempotency key: what an action did or refused
	 * to do is replayed; a failure worth retrying (5xx, 409, 429) is not, so the same key
	 * can be retried.
	 */
	boolean isFinal() {
		return this.status < 500 && this.status != 409 && this.status != 429;
	}

	boolean isError() {
		return this.status >= 400;
	}

}
