package bot.resonance.discordapi;

/**
 * An error answer from Discord: its HTTP status and the JSON error body {@code {"code":
 * 50013, "message": "Missing Permissions"}}.
 *
 * @param status the HTTP status
 * @param code Discord's JSON error code (0 when the body had none)
 * @param message Discord's message
 */
public record DiscordError(int status, int code, String message) {

	/** Discord's JSON error codes this client tells apart. */
	public static final int UNKNOWN_CHANNEL = 10003;

	public static final int UNKNOWN_GUILD = 10004;

	public static final int UNKNOWN_MEMBER = 10007;

	public static final int UNKNOWN_MESSAGE = 10008;

	public static final int UNKNOWN_ROLE = 10011;

	public static final int UNKNOWN_USER = 10013;

	public static final int UNAUTHORIZED = 40001;

	public static final int MISSING_ACCESS = 50001;

	public static final int CANNOT_SEND_EMPTY_MESSAGE = 50006;

	public static final int MISSING_PERMISSIONS = 50013;

	public static final int INVALID_FORM_BODY = 50035;

	/** What went wrong, in the terms callers act on. */
	public Reason reason() {
		if (this.status == 401 || this.code == UNAUTHORIZED) {
			return Reason.UNAUTHORIZED;
		}
		return switch (this.code) {
			case UNKNOWN_CHANNEL -> Reason.UNKNOWN_CHANNEL;
			case UNKNOWN_GUILD -> Reason.UNKNOWN_GUILD;
			case UNKNOWN_MEMBER -> Reason.UNKNOWN_MEMBER;
			case UNKNOWN_ROLE -> Reason.UNKNOWN_ROLE;
			case UNKNOWN_USER -> Reason.UNKNOWN_USER;
			case MISSING_ACCESS -> Reason.MISSING_ACCESS;
			case MISSING_PERMISSIONS -> Reason.MISSING_PERMISSIONS;
			case INVALID_FORM_BODY, CANNOT_SEND_EMPTY_MESSAGE -> Reason.INVALID_REQUEST;
			default -> (this.status == 400) ? Reason.INVALID_REQUEST : (this.status == 403) ? Reason.MISSING_ACCESS
					: (this.status == 404) ? Reason.NOT_FOUND : Reason.OTHER;
		};
	}

	public enum Reason {

		/** The bot token was refused (401): an operator's configuration problem. */
		UNAUTHORIZED,
		/** 50013: the bot lacks a permission (or the role is above the bot's). */
		MISSING_PERMISSIONS,
		/** 50001: the bot cannot see the guild or channel. */
		MISSING_ACCESS, UNKNOWN_GUILD, UNKNOWN_CHANNEL, UNKNOWN_MEMBER, UNKNOWN_ROLE, UNKNOWN_USER,
		/** Some other resource was not found. */
		NOT_FOUND,
		/** Discord found the request's content invalid (50035, 50006, other 400s). */
		INVALID_REQUEST, OTHER

	}

}
