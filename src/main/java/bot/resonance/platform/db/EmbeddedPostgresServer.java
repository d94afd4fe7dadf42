package bot.resonance.platform.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import bot.resonance.platform.logging.Failures;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by Resonance itself, its data kept in a folder, for the
 * zero-setup default. One server per data folder per JVM; it stops when the JVM exits.
 *
 * <p>
 * If a previous Resonance process was killed (no shutdown hook ran) its PostgreSQL keeps
 * running on the folder; that orphan is asked to shut down before a new server starts, so
 * a {@code kill -9} never leaves the folder unusable.
 */
public final class EmbeddedPostgresServer {

	static final String DATABASE = "resonance";

	/**
	 * Creates the database with PostgreSQL's own UTF-8 locale: text sorts by code point
	 * (as the operating system's C.UTF-8 does) and keys compare byte by byte, without a
	 * call into the C library's collation for every comparison of an index's text keys.
	 */
	static final String CREATE_DATABASE = "create database " + DATABASE
			+ " template template0 encoding 'UTF8' locale_provider builtin builtin_locale 'C.UTF-8'";

	static final String USER = "postgres";

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

	/** How often autovacuum looks for tables to vacuum or analyze (PostgreSQL: 1min). */
	static final String AUTOVACUUM_NAPTIME = "10s";

	/** Where and how the embedded PostgreSQL keeps its own log: {@code postgres/log}. */
	static final Map<String, String> LOG_SETTINGS = Map.of("logging_collector", "on", "log_directory", "log",
			"log_filename", "postgresql-%a.log", "log_rotation_age", "1d", "log_rotation_size", "0",
			"log_truncate_on_rotation", "on");

	private static final Map<Path, EmbeddedPostgresServer> RUNNING = new ConcurrentHashMap<>();

	private final EmbeddedPostgres postgres;

	private final Path dataDirectory;

	private final @Nullable String restored;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, @Nullable String restored) {
		this.postgres = postgres;
		this.dataDirectory = dataDirectory;
		this.restored = restored;
	}

	/**
	 * Starts a server on {@code settings.dataDirectory()}, or returns the one this JVM
	 * already runs there.
	 */
	public static EmbeddedPostgresServer startOrGet(Settings settings, Consumer<String> warnings) {
		Path directory = settings.dataDirectory().toAbsolutePath().normalize();
		return RUNNING.computeIfAbsent(directory, (dir) -> start(dir, settings, warnings));
	}

	static EmbeddedPostgresServer start(Path directory, Settings settings, Consumer<String> warnings) {
		return start(directory, settings, warnings, DefaultPostgresBinaryResolver.INSTANCE);
	}

	/**
	 * As {@link #start(Path, Settings, Consumer)}, taking PostgreSQL's binaries from
	 * {@code binaries} (tests: a platform the jar has none for).
	 */
	static EmbeddedPostgresServer start(Path directory, Settings settings, Consumer<String> warnings,
			PgBinaryResolver binaries) {
		try {
			refuseIfInUse(directory);
			if (settings.cleanOnStart()) {
				stopOrphan(directory, warnings);
				deleteRecursively(directory);
			}
			Files.createDirectories(directory);
			stopOrphan(directory, warnings);
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				.setPgBinaryResolver(binaries)
				.setDataDirectory(directory)
				.setCleanDataDirectory(false)
				.setRegisterShutdownHook(false) // stopped after the application, see
												// below
				.setPGStartupWait(Duration.ofSeconds(60));
			int port = (settings.port() > 0) ? settings.port() : rememberedFreePort(directory);
			if (port > 0) {
				builder.setPort(port);
			}
			if (settings.durable()) {
				// The library's defaults trade durability for test speed; a server
				// keeping real
				// data must not lose committed transactions.
				builder.setServerConfig("fsync", "on");
				builder.setServerConfig("synchronous_commit", "on");
				builder.setServerConfig("full_page_writes", "on");
			}
			builder.setServerConfig("shared_buffers", settings.sharedBuffers());
			// The database starts empty, and a statement planned while a table's
			// statistics
			// still say so may take a path that reads every row of a brand for each
			// lookup
			// (the plan is made again once the table is analyzed). Autovacuum looks for
			// tables to analyze every minute by default: a fresh server that takes events
			// at once ran the first minute at a quarter of its speed. Every 10 seconds
			// instead.
			builder.setServerConfig("autovacuum_naptime", AUTOVACUUM_NAPTIME);
			// PostgreSQL's own log (checkpoints, lock waits, its errors, slow plans if
			// auto_explain is loaded) goes to the data folder, a file per weekday, each
			// overwritten a week later: its standard error is a pipe nobody reads once
			// it has started.
			LOG_SETTINGS.forEach(builder::setServerConfig);
			settings.serverConfig().forEach(builder::setServerConfig);
			EmbeddedPostgres postgres = builder.start();
			// Always the port it runs on, configured or chosen: backup scripts read it
			// ($(cat data/postgres.port)), and a stale one would point them elsewhere.
			remember(directory, postgres.getPort(), warnings);
			createDatabase(postgres);
			agreeWithStartupSettings(postgres, warnings);
			String restored = null;
			if (settings.restoreFrom() != null) {
				try {
					restored = EmbeddedRestore.restore(postgres, directory, settings.restoreFrom(), settings.pgBin());
				}
				catch (RuntimeException ex) {
					try {
						postgres.close();
					}
					catch (IOException closing) {
						ex.addSuppressed(closing);
					}
					throw ex;
				}
			}
			claim(directory, warnings);
			EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, directory, restored);
			// Stopped after Spring Boot has closed the application gracefully (requests
			// in flight
			// answered, batches committed), not concurrently with it as a plain JVM hook
			// would.
			SpringApplication.getShutdownHandlers().add(server::close);
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start embedded PostgreSQL in " + directory, ex);
		}
		catch (IllegalStateException ex) {
			if (String.valueOf(ex.getMessage()).contains("Missing embedded postgres binaries")) {
				// The jar carries the binaries of the platform it was built on (see
				// pom.xml).
				throw new IllegalStateException("This build of Resonance has no embedded PostgreSQL for "
						+ System.getProperty("os.name") + " on " + System.getProperty("os.arch")
						+ ": set SPRING_DATASOURCE_URL to use your own PostgreSQL, or build the jar on this"
						+ " machine (./mvnw -DskipTests package) or for every platform"
						+ " (./mvnw -DskipTests -Pall-postgres-platforms package)", ex);
			}
			throw ex;
		}
	}

	/**
	 * Where the port a data folder's server chose is remembered
	 * ({@code data/postgres.port} next to {@code data/postgres}), so that it keeps its
	 * port from one start to the next: tools pointed at it (psql, a backup script) keep
	 * working.
	 */
	static Path portFile(Path directory) {
		return directory.resolveSibling(directory.getFileName() + ".port");
	}

	/** The port this folder's server had last time, if it is free now; else 0 (any). */
	private static int rememberedFreePort(Path directory) {
		Path file = portFile(directory);
		int port;
		try {
			port = Files.isRegularFile(file) ? Integer.parseInt(Files.readString(file).strip()) : 0;
		}
		catch (IOException | NumberFormatException ex) {
			return 0;
		}
		if (port < 1 || port > 65535) {
			return 0;
		}
		try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return port;
		}
		catch (IOException taken) {
			return 0;
		}
	}

	private static void remember(Path directory, int port, Consumer<String> warnings) {
		try {
			Files.writeString(portFile(directory), port + "\n");
		}
		catch (IOException ex) {
			warnings.accept("Could not remember the embedded PostgreSQL's port in " + portFile(directory) + ": "
					+ ex.getMessage());
		}
	}

	private static void createDatabase(EmbeddedPostgres postgres) {
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			var exists = statement.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'");
			if (!exists.next()) {
				statement.execute(CREATE_DATABASE);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create the " + DATABASE + " database", ex);
		}
	}

	/**
	 * Writes the settings only a start can change, which Resonance gives on PostgreSQL's
	 * command line, to its {@code postgresql.auto.conf} too. {@code initdb} wrote other
	 * values of them to {@code postgresql.conf}, and every reload of the configuration
	 * (an operator's {@code ALTER SYSTEM} and {@code pg_reload_conf()}) would log that
	 * they cannot be changed without a restart and that the file contains errors.
	 */
	private static void agreeWithStartupSettings(EmbeddedPostgres postgres, Consumer<String> warnings) {
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			List<String[]> settings = new ArrayList<>();
			var rows = statement.executeQuery("""
					select name, current_setting(name) from pg_settings
					where name in ('max_connections', 'shared_buffers') and source = 'command line'
					""");
			while (rows.next()) {
				settings.add(new String[] { rows.getString(1), rows.getString(2) });
			}
			for (String[] setting : settings) {
				statement.execute("alter system set " + setting[0] + " = '" + setting[1].replace("'", "''") + "'");
			}
		}
		catch (SQLException ex) {
			// Only a reload's complaint is at stake: not worth refusing to start over.
			warnings.accept("Could not record the embedded PostgreSQL's start-up settings in postgresql.auto.conf: "
					+ ex.getMessage());
		}
	}

	/**
	 * Shuts down a PostgreSQL left running on {@code directory} by a process that died
	 * without stopping it. Only a process whose command line names this folder is
	 * touched.
	 */
	static void stopOrphan(Path directory, Consumer<String> warnings) throws IOException {
		Path pidFile = directory.resolve("postmaster.pid");
		if (!Files.isReadable(pidFile)) {
			return;
		}
		Optional<ProcessHandle> orphan;
		try (Stream<String> lines = Files.lines(pidFile)) {
			orphan = lines.findFirst()
				.map(String::trim)
				.filter((line) -> line.matches("\\d+"))
				.flatMap((pid) -> ProcessHandle.of(Long.parseLong(pid)))
				.filter(ProcessHandle::isAlive)
				.filter((process) -> process.info()
					.commandLine()
					.map((command) -> command.contains("postgres") && command.contains(directory.toString()))
					.orElse(false));
		}
		if (orphan.isEmpty()) {
			return;
		}
		ProcessHandle process = orphan.get();
		warnings.accept("Stopping PostgreSQL (pid " + process.pid() + ") left running on " + directory
				+ " by a previous process that did not shut down");
		process.destroy(); // SIGTERM: smart shutdown, its clients are gone already
		try {
			process.onExit().get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			process.destroyForcibly(); // recovery replays the WAL on the next start
			try {
				process.onExit().get(10, TimeUnit.SECONDS);
			}
			catch (Exception ignored) {
				throw new IOException("PostgreSQL (pid " + process.pid() + ") on " + directory + " did not stop");
			}
		}
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
	}

	public String username() {
		return USER;
	}

	public int port() {
		return this.postgres.getPort();
	}

	public Path dataDirectory() {
		return this.dataDirectory;
	}

	/** What {@code restore-from} did when this server started, if it was set. */
	public @Nullable String restored() {
		return this.restored;
	}

	void close() {
		try {
			this.postgres.close();
		}
		catch (IOException ex) {
			Failures.warn(log, ex, "Could not stop embedded PostgreSQL cleanly");
		}
		try {
			Optional<Owner> owner = Owner.read(ownerFile(this.dataDirectory));
			if (owner.isPresent() && owner.get().isThisProcess()) {
				Files.deleteIfExists(ownerFile(this.dataDirectory));
			}
		}
		catch (IOException ex) {
			Failures.warn(log, ex, "Could not remove {}", ownerFile(this.dataDirectory));
		}
	}

	/**
	 * Which process runs the server of a data folder ({@code data/postgres.owner} next to
	 * {@code data/postgres}): the PostgreSQL of a folder outlives the process that
	 * started it only when that process was killed, and only then may another stop it.
	 */
	static Path ownerFile(Path directory) {
		return directory.resolveSibling(directory.getFileName() + ".owner");
	}

	/**
	 * Refuses to start on a folder whose server another live process runs: stopping it as
	 * an orphan would take the database away from that process.
	 */
	static void refuseIfInUse(Path directory) throws IOException {
		Optional<Owner> owner = Owner.read(ownerFile(directory));
		if (owner.isPresent() && !owner.get().isThisProcess() && owner.get().isAlive()) {
			throw new DataFolderInUseException(directory, owner.get().pid());
		}
	}

	private static void claim(Path directory, Consumer<String> warnings) {
		ProcessHandle self = ProcessHandle.current();
		try {
			Files.writeString(ownerFile(directory),
					self.pid() + " " + self.info().startInstant().map(Instant::toEpochMilli).orElse(0L) + "\n");
		}
		catch (IOException ex) {
			warnings.accept("Could not record this process as the owner of " + directory + " in " + ownerFile(directory)
					+ ": " + ex.getMessage());
		}
	}

	/** A process, as an owner file names it: its pid and when it started. */
	record Owner(long pid, long startedAtMillis) {

		static Optional<Owner> read(Path file) throws IOException {
			if (!Files.isRegularFile(file)) {
				return Optional.empty();
			}
			String[] fields = Files.readString(file).strip().split(" ");
			try {
				return Optional
					.of(new Owner(Long.parseLong(fields[0]), (fields.length > 1) ? Long.parseLong(fields[1]) : 0L));
			}
			catch (NumberFormatException ex) {
				return Optional.empty();
			}
		}

		boolean isThisProcess() {
			return this.pid == ProcessHandle.current().pid();
		}

		/** Alive, and the same process (not another that got its pid since). */
		boolean isAlive() {
			return ProcessHandle.of(this.pid)
				.filter(ProcessHandle::isAlive)
				.filter((process) -> this.startedAtMillis == 0 || process.info()
					.startInstant()
					.map((started) -> started.toEpochMilli() == this.startedAtMillis)
					.orElse(true))
				.isPresent();
		}

	}

	/** Another live process runs the server of this data folder. */
	static final class DataFolderInUseException extends IllegalStateException {

		DataFolderInUseException(Path directory, long pid) {
			super("The data folder " + directory.getParent() + " is in use by another Resonance process (pid " + pid
					+ "), whose embedded PostgreSQL runs on it.");
		}

	}

	/**
	 * How to run the embedded server.
	 *
	 * @param dataDirectory where PostgreSQL keeps its files
	 * @param port the port to listen on (localhost only), or 0 for any free port
	 * @param durable whether commits are flushed to disk (true for real data, false for
	 * tests)
	 * @param cleanOnStart whether to wipe the folder before starting (tests only)
	 * @param sharedBuffers PostgreSQL's {@code shared_buffers}
	 * @param serverConfig any other PostgreSQL settings ({@code work_mem},
	 * {@code shared_preload_libraries}, ...)
	 * @param restoreFrom a {@code pg_dump} archive to load into the database if it is new
	 * ({@link EmbeddedRestore}), or {@code null}
	 * @param pgBin the folder of PostgreSQL's client tools ({@code pg_restore}), or
	 * {@code null} to look in the usual places
	 */
	public record Settings(Path dataDirectory, int port, boolean durable, boolean cleanOnStart, String sharedBuffers,
			Map<String, String> serverConfig, @Nullable Path restoreFrom, @Nullable String pgBin) {

		/** Settings without a restore. */
		public Settings(Path dataDirectory, int port, boolean durable, boolean cleanOnStart, String sharedBuffers,
				Map<String, String> serverConfig) {
			this(dataDirectory, port, durable, cleanOnStart, sharedBuffers, serverConfig, null, null);
		}

	}

}
