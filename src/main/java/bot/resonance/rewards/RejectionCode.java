package bot.resonance.rewards;

import org.springframework.http.HttpStatus;

/**
 * Why an event was not rewarded, with the event API's status for it. The codes and
 * statuses are the seed document's contract.
 */
public enum RejectionCode {

	INVALID_REQUEST(HttpStatus.BAD_REQUEST), EVENT_DISABLED(HttpStatus.BAD_REQUEST),
	USER_DISABLED(HttpStatus.BAD_REQUEST), COOLDOWN_ACTIVE(HttpStatus.TOO_MANY_REQUESTS),
	INSUFFICIENT_BALANCE(HttpStatus.BAD_REQUEST), RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS);

	private final HttpStatus status;

	RejectionCode(HttpStatus status) {
		this.status = status;
	}

	public HttpStatus status() {
		return this.status;
	}

}
