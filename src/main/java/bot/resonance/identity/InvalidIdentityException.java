package bot.resonance.identity;

/** An identity that is not valid for its kind; the message says why, for the caller. */
public class InvalidIdentityException extends IllegalArgumentException {

	public InvalidIdentityException(String message) {
		super(message);
	}

}
