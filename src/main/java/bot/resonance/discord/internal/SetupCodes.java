package bot.resonance.discord.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import bot.resonance.brands.Brand;
import bot.resonance.discord.GuildBindings;
import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One-time setup codes: a brand asks for one ({@code POST /v1/discord/setup-codes}), an
 * admin of its Discord server enters it with {@code /setup code:…}, and the server is
 * bound to the brand. Codes are kept only as their hash, work once and for
 * {@code resonance.discord.setup.code-ttl}; wrong codes are counted per guild and per
 * user so that codes cannot be guessed.
 */
@Component
class SetupCodes {

	/** Crockford's base 32: no I, L, O or U to misread. */
	private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

	private static final int LENGTH = 8;

	private final SecureRandom random = new SecureRandom();

	private final SetupCodeRepository repository;

	private final DiscordRepository discord;

	private final GuildBindings bindings;

	private final SetupProperties properties;

	private final TransactionTemplate transactions;

	private final Clock clock;

	SetupCodes(SetupCodeRepository repository, DiscordRepository discord, GuildBindings bindings,
			SetupProperties properties, TransactionTemplate transactions, Clock clock) {
		this.repository = repository;
		this.discord = discord;
		this.bindings = bindings;
		this.properties = properties;
		this.transactions = transactions;
		this.clock = clock;
	}

	/**
	 * A new setup code for the brand, shown once.
	 * @throws ApiException {@code 429 too_many_setup_codes} if the brand has
	 * {@code max-live-codes} unused ones
	 */
	IssuedCode issue(Brand brand) {
		return this.transactions.execute((status) -> {
			Instant now = this.clock.instant();
			this.repository.lockBrand(brand.brandId());
			if (this.repository.liveCodes(brand.brandId(), now) >= this.properties.maxLiveCodes()) {
				long wait = Math.max(1,
						Duration.between(now, this.repository.firstExpiry(brand.brandId(), now)).toSeconds() + 1);
				throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too_many_setup_codes",
						"The brand already has " + this.properties.maxLiveCodes()
								+ " unused setup codes; use one or wait for them to expire (the first in " + wait
								+ " s).")
					.withHeader("Retry-After", Long.toString(wait));
			}
			StringBuilder code = new StringBuilder();
			for (int i = 0; i < LENGTH; i++) {
				if (i == LENGTH / 2) {
					code.append('-');
				}
				code.append(ALPHABET.charAt(this.random.nextInt(ALPHABET.length())));
			}
			Instant expiresAt = now.plus(this.properties.codeTtl());
			this.repository.insert(hash(code.toString()), brand.brandId(), now, expiresAt);
			return new IssuedCode(code.toString(), expiresAt);
		});
	}

	/**
	 * An admin of an unbound guild enters a code: the guild is bound to the code's brand
	 * and the code is used up, or nothing changes and the outcome says why.
	 * @param interactionId logged under the brand once the guild is bound
	 * @param payload the interaction as received, for the log
	 */
	Outcome connect(String guildId, String userId, String code, String interactionId, String payload) {
		Instant now = this.clock.instant();
		Instant since = now.minus(this.properties.failureWindow());
		this.repository.prune(since, 100);
		long attempt = this.repository.attempt(guildId, userId, now);
		SetupCodeRepository.Tries tries = this.repository.tries(guildId, userId, since);
		int max = this.properties.maxFailures();
		// The tries counted include this one: more than the limit means it is one too
		// many.
		if (tries.byGuild() > max || tries.byUser() > max) {
			this.repository.forget(attempt);
			boolean guild = tries.byGuild() > max;
			int over = (guild ? tries.byGuild() : tries.byUser()) - 1 - max;
			Instant retryAt = this.repository.nthTry(guild, guild ? guildId : userId, since, over)
				.map((at) -> at.plus(this.properties.failureWindow()))
				.orElse(now.plus(this.properties.failureWindow()));
			return new Outcome.TooManyTries(retryAt);
		}
		byte[] hash = hash(normalise(code));
		Outcome outcome = this.transactions.execute((status) -> {
			Optional<String> brandId = this.repository.use(hash, guildId, userId, now);
			if (brandId.isEmpty()) {
				return this.repository.find(hash)
					.<Outcome>map(
							(stored) -> stored.used() ? new Outcome.Used() : new Outcome.Expired(stored.expiresAt()))
					.orElse(new Outcome.Wrong());
			}
			try {
				this.bindings.bind(brandId.get(), guildId);
			}
			catch (ApiException refused) {
				// Bound to another brand since this interaction started: the code stays
				// unused.
				status.setRollbackOnly();
				return new Outcome.BoundElsewhere();
			}
			// The steps a bound guild's interaction takes: the admin registered with the
			// brand, the interaction logged under it.
			this.discord.registerAndLog(brandId.get(), interactionId, 2, userId, guildId, "setup", payload, now);
			return new Outcome.Connected(brandId.get());
		});
		if (outcome instanceof Outcome.Connected || outcome instanceof Outcome.BoundElsewhere) {
			this.repository.forget(attempt);
		}
		return outcome;
	}

	/**
	 * Codes as typed: case, spaces and dashes do not matter, O reads as 0, I and L as 1.
	 */
	static String normalise(String code) {
		String compact = code.toUpperCase(Locale.ROOT)
			.replaceAll("[\\s-]", "")
			.replace('O', '0')
			.replace('I', '1')
			.replace('L', '1');
		if (compact.length() != LENGTH) {
			return compact;
		}
		return compact.substring(0, LENGTH / 2) + "-" + compact.substring(LENGTH / 2);
	}

	private static byte[] hash(String code) {
		return Hashing.sha256("resonance:discord-setup-code:" + code);
	}

	/**
	 * A setup code, shown once.
	 *
	 * @param code {@code XXXX-XXXX}, Crockford base 32
	 * @param expiresAt when it stops working
	 */
	record IssuedCode(String code, Instant expiresAt) {
	}

	/** What entering a code did. */
	sealed interface Outcome {

		/** The guild is the brand's now. */
		record Connected(String brandId) implements Outcome {
		}

		/** No such code. */
		record Wrong() implements Outcome {
		}

		/** The code was used already. */
		record Used() implements Outcome {
		}

		/** The code expired. */
		record Expired(Instant at) implements Outcome {
		}

		/** Another brand bound the guild meanwhile. */
		record BoundElsewhere() implements Outcome {
		}

		/**
		 * Too many wrong codes in the guild or by the user: try again at {@code retryAt}.
		 */
		record TooManyTries(Instant retryAt) implements Outcome {
		}

	}

}
