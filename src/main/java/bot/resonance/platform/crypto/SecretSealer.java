package bot.resonance.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Seals the secrets Resonance must keep readable (HMAC keys) before they are stored, and
 * opens them when they are read, with the key from {@link SealingProperties}. A sealed
 * value is the text {@code rsnc-sealed:v1:<key id>:<base64url box>}, bound to its purpose
 * (a sealed brand secret is not a valid webhook secret). Values stored before a key was
 * set, and every value while none is, are kept as they are; {@link #reseal} brings stored
 * values to the current key at start-up.
 */
@Component
public class SecretSealer {

	static final String PREFIX = "rsnc-sealed:v1:";

	private static final Logger log = LoggerFactory.getLogger(SecretSealer.class);

	private final @Nullable Key current;

	private final Map<String, Key> keys = new LinkedHashMap<>();

	public SecretSealer(SealingProperties properties) {
		this.current = (properties.key() != null && !properties.key().isBlank()) ? Key.parse(properties.key()) : null;
		if (this.current != null) {
			this.keys.put(this.current.id(), this.current);
		}
		for (String previous : properties.previousKeys()) {
			if (!previous.isBlank()) {
				Key key = Key.parse(previous);
				this.keys.putIfAbsent(key.id(), key);
			}
		}
	}

	/** Whether new secrets are sealed. */
	public boolean isSealing() {
		return this.current != null;
	}

	/** The id of the key new secrets are sealed with, if one is set. */
	public @Nullable String currentKeyId() {
		return (this.current != null) ? this.current.id() : null;
	}

	/** What to store for {@code secret}, used for {@code purpose}. */
	public String seal(String purpose, String secret) {
		if (this.current == null) {
			return secret;
		}
		byte[] box = Sealing.seal(this.current.bytes(), secret.getBytes(StandardCharsets.UTF_8), context(purpose));
		return PREFIX + this.current.id() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(box);
	}

	/**
	 * The secret a stored value holds.
	 * @throws SealedSecretException if it is sealed with a key this node does not have,
	 * or was altered
	 */
	public String open(String purpose, String stored) {
		if (!stored.startsWith(PREFIX)) {
			return stored;
		}
		int colon = stored.indexOf(':', PREFIX.length());
		if (colon < 0) {
			throw new SealedSecretException("A sealed " + purpose + " is malformed.");
		}
		String keyId = stored.substring(PREFIX.length(), colon);
		Key key = this.keys.get(keyId);
		if (key == null) {
			throw new SealedSecretException("A " + purpose + " in the database is sealed with key " + keyId
					+ ", which this node does not have: set RESONANCE_SEALING_KEY to it, or list it in "
					+ "RESONANCE_SEALING_PREVIOUS_KEYS.");
		}
		try {
			byte[] box = Base64.getUrlDecoder().decode(stored.substring(colon + 1));
			return new String(Sealing.open(key.bytes(), box, context(purpose)), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new SealedSecretException("A sealed " + purpose + " does not open with key " + keyId
					+ ": it was altered or moved from another place.");
		}
	}

	/** Whether a stored value is as {@link #seal} would store it now. */
	boolean isCurrent(String stored) {
		if (this.current == null) {
			return !stored.startsWith(PREFIX);
		}
		return stored.startsWith(PREFIX + this.current.id() + ":");
	}

	/**
	 * Brings every value of a secret column to the current key (or to plain text, without
	 * one), a thousand rows at a time, each only if it has not changed meanwhile. For the
	 * module that owns the table, at start-up.
	 * @param table the table
	 * @param column its secret column (null values are skipped)
	 * @param purpose what the secrets are for, as they are sealed and opened
	 * @return how many values were rewritten
	 * @throws SealedSecretException if a value cannot be opened
	 */
	public int reseal(JdbcClient jdbc, String table, String column, String purpose) {
		int rewritten = 0;
		String after = "(0,0)";
		while (true) {
			List<String> rows = new ArrayList<>();
			List<String> olds = new ArrayList<>();
			List<String> news = new ArrayList<>();
			String last = after;
			for (Map<String, Object> row : jdbc
				.sql("select ctid::text as row, " + column + " as value from " + table
						+ " where ctid > :after::tid and " + column + " is not null order by ctid limit 1000")
				.param("after", after)
				.query()
				.listOfRows()) {
				String stored = (String) row.get("value");
				last = (String) row.get("row");
				if (!isCurrent(stored)) {
					rows.add(last);
					olds.add(digest(stored));
					news.add(seal(purpose, open(purpose, stored)));
				}
			}
			if (last.equals(after)) {
				break;
			}
			after = last;
			if (!rows.isEmpty()) {
				rewritten += jdbc
					// Unchanged since read, compared by digest: a secret stored readable
					// is not sent back to the database (or its log) in the clear.
					.sql("update " + table + " t set " + column + " = v.resealed from unnest(:rows::tid[], "
							+ ":olds::text[], :news::text[]) as v(row, digest, resealed) where t.ctid = v.row"
							+ " and encode(sha256(convert_to(t." + column + ", 'UTF8')), 'hex') = v.digest")
					.param("rows", rows.toArray(String[]::new))
					.param("olds", olds.toArray(String[]::new))
					.param("news", news.toArray(String[]::new))
					.update();
			}
		}
		if (rewritten > 0) {
			log.info("{} {} values of {}.{} ({})", (this.current != null) ? "Sealed" : "Unsealed", rewritten, table,
					column, (this.current != null) ? "key " + this.current.id() : "now plain text");
		}
		return rewritten;
	}

	/** The SHA-256 of a stored value, in hex, as PostgreSQL computes it. */
	private static String digest(String stored) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(stored.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] context(String purpose) {
		return purpose.getBytes(StandardCharsets.UTF_8);
	}

	/** A sealed secret that cannot be opened here. */
	public static final class SealedSecretException extends IllegalStateException {

		SealedSecretException(String message) {
			super(message);
		}

	}

	/** A sealing key and its public id. */
	record Key(String id, byte[] bytes) {

		static Key parse(String text) {
			byte[] bytes;
			try {
				bytes = Base64.getDecoder().decode(text.trim());
			}
			catch (IllegalArgumentException ex) {
				try {
					bytes = Base64.getUrlDecoder().decode(text.trim());
				}
				catch (IllegalArgumentException again) {
					bytes = new byte[0];
				}
			}
			if (bytes.length != 32) {
				throw new IllegalArgumentException(
						"A sealing key (RESONANCE_SEALING_KEY, RESONANCE_SEALING_PREVIOUS_KEYS) "
								+ "must be 32 random bytes in base64; make one with: openssl rand -base64 32");
			}
			return new Key(
					Hashing.hex(Hashing.sha256("resonance-sealing-key-id:" + Base64.getEncoder().encodeToString(bytes)))
						.substring(0, 8),
					bytes);
		}

	}

}
