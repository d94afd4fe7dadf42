package bot.resonance.platform.logging;

import org.slf4j.Logger;

/**
 * How a failure Resonance handles itself is logged: one {@code WARN} line with the
 * exception's message (and its cause's, when it adds something), the stack trace at
 * {@code DEBUG} only. A database outage then reads as one line per retry, not hundreds of
 * stack frames.
 */
public final class Failures {

	private Failures() {
	}

	/**
	 * Logs {@code message} (with its {@code {}} arguments) at {@code WARN}, then ": " and
	 * what went wrong; the stack trace at {@code DEBUG}.
	 */
	public static void warn(Logger log, Throwable failure, String message, Object... arguments) {
		if (!log.isWarnEnabled()) {
			return;
		}
		Object[] withReason = new Object[arguments.length + 1];
		System.arraycopy(arguments, 0, withReason, 0, arguments.length);
		withReason[arguments.length] = describe(failure);
		log.warn(message + ": {}", withReason);
		if (log.isDebugEnabled()) {
			log.debug(message, appended(arguments, failure));
		}
	}

	/** What went wrong, in one line: the exception and its deepest cause. */
	public static String describe(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String first = oneLine(failure);
		return (root == failure || first.contains(String.valueOf(root.getMessage()))) ? first
				: first + " (caused by " + oneLine(root) + ")";
	}

	private static String oneLine(Throwable failure) {
		return failure.toString().replace('\n', ' ').replace('\r', ' ');
	}

	private static Object[] appended(Object[] arguments, Throwable failure) {
		Object[] withFailure = new Object[arguments.length + 1];
		System.arraycopy(arguments, 0, withFailure, 0, arguments.length);
		withFailure[arguments.length] = failure;
		return withFailure;
	}

}
