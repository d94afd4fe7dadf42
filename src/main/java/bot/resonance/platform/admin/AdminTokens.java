package bot.resonance.platform.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.crypto.Hashing;
import bot.resonance.platform.crypto.RandomTokens;
import bot.resonance.platform.logging.Failures;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The operator token. Either configured ({@code RESONANCE_ADMIN_TOKEN}) or generated once
 * for the whole deployment: its SHA-256 lives in the database, so every node sharing the
 * database accepts it, and the token itself is written to the data folder of the node
 * that generated it and printed once. A data folder used with several databases keeps
 * each one's token: {@code admin-token} is never overwritten with another database's.
 */
@Component
public class AdminTokens implements SmartInitializingSingleton {

	static final String TOKEN_FILE = "admin-token";

	private static final Logger log = LoggerFactory.getLogger(AdminTokens.class);

	private final AdminProperties properties;

	private final DataProperties data;

	private final JdbcClient jdbc;

	private final Clock clock;

	private volatile byte @Nullable [] expectedHash;

	private volatile Origin origin = Origin.CONFIGURED;

	private volatile @Nullable String generatedToken;

	private volatile @Nullable Path tokenFile;

	private volatile @Nullable Path otherDatabasesFile;

	AdminTokens(AdminProperties properties, DataProperties data, JdbcClient jdbc, Clock clock) {
		this.properties = properties;
		this.data = data;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (StringUtils.hasText(this.properties.token())) {
			this.expectedHash = Hashing.sha256(this.properties.token().trim());
			this.origin = Origin.CONFIGURED;
			return;
		}
		Optional<byte[]> stored = storedHash();
		if (stored.isEmpty()) {
			String token = "rsn_admin_" + RandomTokens.base62(40);
			byte[] hash = Hashing.sha256(token);
			int inserted = this.jdbc.sql("""
					insert into operator_credentials (name, secret_hash, created_at)
					values ('admin_token', :hash, :now)
					on conflict (name) do nothing
					""").param("hash", hash).param("now", OffsetDateTime.now(this.clock)).update();
			if (inserted == 1) {
				// This database had no token: a token file already in the folder is
				// another
				// database's (the folder used first with the embedded database, now with
				// SPRING_DATASOURCE_URL, say). It is kept; this token gets a file of its
				// own.
				Path file = defaultTokenFile();
				if (Files.exists(file)) {
					this.otherDatabasesFile = file;
					file = ownTokenFile(hash);
				}
				this.tokenFile = file;
				writeTokenFile(file, token);
				this.generatedToken = token;
				this.origin = Origin.GENERATED_NOW;
			}
			stored = storedHash();
		}
		byte[] expected = stored.orElseThrow();
		if (this.origin != Origin.GENERATED_NOW) {
			Optional<Path> holding = Stream.of(defaultTokenFile(), ownTokenFile(expected))
				.filter((file) -> holds(file, expected))
				.findFirst();
			this.tokenFile = holding.orElse(defaultTokenFile());
			this.origin = holding.isPresent() ? Origin.GENERATED_EARLIER : Origin.GENERATED_ELSEWHERE;
			if (holding.isEmpty() && Files.exists(defaultTokenFile())) {
				this.otherDatabasesFile = defaultTokenFile();
			}
		}
		this.expectedHash = expected;
	}

	/** Whether the file holds the token with this hash. */
	private static boolean holds(Path file, byte[] hash) {
		try {
			return Files.isReadable(file) && MessageDigest.isEqual(hash,
					Hashing.sha256(Files.readString(file, StandardCharsets.UTF_8).trim()));
		}
		catch (IOException ex) {
			return false;
		}
	}

	private Optional<byte[]> storedHash() {
		return this.jdbc.sql("select secret_hash from operator_credentials where name = 'admin_token'")
			.query(byte[].class)
			.optional();
	}

	private void writeTokenFile(Path file, String token) {
		try {
			Files.createDirectories(file.getParent());
			Files.deleteIfExists(file);
			try {
				// Created private, so the token is never readable by others, not even
				// briefly.
				Files.createFile(file,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			}
			catch (UnsupportedOperationException ex) {
				// not a POSIX file system; the folder's own permissions apply
			}
			Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			Failures.warn(log, ex, "Could not write the admin token to {}; it is printed below only", file);
		}
	}

	/** Whether {@code presented} is the operator token, compared in constant time. */
	public boolean matches(@Nullable String presented) {
		byte[] expected = this.expectedHash;
		if (expected == null || presented == null || presented.isBlank()) {
			return false;
		}
		return MessageDigest.isEqual(expected, Hashing.sha256(presented.trim()));
	}

	/**
	 * The file holding the token in force: {@code admin-token} in the data folder, or
	 * {@code admin-token-<8 hex digits>} when {@code admin-token} holds another
	 * database's.
	 */
	public Path tokenFile() {
		Path file = this.tokenFile;
		return (file != null) ? file : defaultTokenFile();
	}

	/**
	 * The data folder's {@code admin-token} when it holds another database's token (kept,
	 * never overwritten), else {@code null}.
	 */
	public @Nullable Path otherDatabasesFile() {
		return this.otherDatabasesFile;
	}

	private Path defaultTokenFile() {
		return this.data.dir().resolve(TOKEN_FILE).toAbsolutePath().normalize();
	}

	/** A database's own token file, named after the start of its token's hash. */
	private Path ownTokenFile(byte[] hash) {
		return this.data.dir()
			.resolve(TOKEN_FILE + "-" + HexFormat.of().formatHex(hash, 0, 4))
			.toAbsolutePath()
			.normalize();
	}

	/** How the token came to be, for the start-up message. */
	public Origin origin() {
		return this.origin;
	}

	/**
	 * The token generated by this start, to print once; {@code null} on every later
	 * start.
	 */
	public @Nullable String generatedToken() {
		return this.generatedToken;
	}

	public enum Origin {

		/** From {@code RESONANCE_ADMIN_TOKEN}. */
		CONFIGURED,
		/** Generated by this start. */
		GENERATED_NOW,
		/** Generated by an earlier start of this node; the file holds it. */
		GENERATED_EARLIER,
		/** Generated by another node sharing the database (or another data folder). */
		GENERATED_ELSEWHERE

	}

}
