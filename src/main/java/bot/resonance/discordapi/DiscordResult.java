package bot.resonance.discordapi;

import java.time.Duration;

/**
 * What became of a call to Discord. Every outcome is a value: callers switch over them.
 *
 * @param <T> what a successful call yields
 */
public sealed interface DiscordResult<T> {

	/** Discord did it. */
	record Success<T>(T value) implements DiscordResult<T> {
	}

	/** No bot token is configured, so nothing was sent. */
	record NotConfigured<T>() implements DiscordResult<T> {
	}

	/**
	 * Discord refused the request with a client error ({@code 4xx} other than
	 * {@code 429}): unknown member, missing permissions, a bad token, ...
	 */
	record Refused<T>(DiscordError error) implements DiscordResult<T> {
	}

	/**
	 * Discord's rate limit held the call back longer than
	 * {@code resonance.discord.max-rate-limit-wait} (or past the retries allowed).
	 *
	 * @param retryAfter when Discord said it may be tried again
	 * @param global whether the bot's global limit was hit, rather than a route's
	 */
	record RateLimited<T>(Duration retryAfter, boolean global) implements DiscordResult<T> {
	}

	/** Discord could not be reached, timed out, or failed ({@code 5xx}). */
	record Unavailable<T>(String reason) implements DiscordResult<T> {
	}

}
