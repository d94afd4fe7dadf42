package bot.resonance;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import bot.resonance.discord.CommandRegistration;
import bot.resonance.platform.web.ApiException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.LifecycleProcessor;
import org.springframework.context.support.AbstractApplicationContext;

/**
 * {@code java -jar resonance.jar register-commands [--guild=<id>]}: registers the bot's
 * slash commands with Discord and exits, {@code 0} when Discord took them.
 *
 * <p>
 * It needs only the Discord settings ({@code DISCORD_APPLICATION_ID},
 * {@code DISCORD_BOT_TOKEN}): it starts no web server, no database (neither the embedded
 * one nor a connection to {@code SPRING_DATASOURCE_URL}) and no background work, so it
 * runs beside a running server. Only the beans the commands need are created.
 */
public final class RegisterCommands {

	/** The first argument that selects this command. */
	public static final String COMMAND = "register-commands";

	/** Exit status: the commands are registered. */
	public static final int OK = 0;

	/** Exit status: they could not be (not configured, Discord refused, unreachable). */
	public static final int FAILED = 1;

	/** Exit status: the arguments were wrong. */
	public static final int USAGE = 2;

	private static final String USAGE_TEXT = """
			Usage: java -jar resonance.jar register-commands [--guild=<guild id>] [--<setting>=<value> ...]

			Registers the bot's slash commands with Discord (a bulk overwrite: the same list again changes nothing).
			  --guild=<id>  in this guild only: they show at once there. Without it: globally, in every
			                guild and DM with the bot; Discord's clients may take a while to show them.
			Needs DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN (or --resonance.discord.interactions.application-id=
			and --resonance.discord.bot-token=). No database and no web server are started.""";

	private RegisterCommands() {
	}

	/** Whether the arguments ask for this command. */
	public static boolean isRequested(String[] args) {
		return args.length > 0 && COMMAND.equals(args[0]);
	}

	/**
	 * Registers the commands.
	 * @param args {@code register-commands}, then {@code --guild=<id>} and Spring
	 * settings ({@code --name=value})
	 * @return the exit status: {@link #OK}, {@link #FAILED} or {@link #USAGE}
	 */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		String guildId = null;
		List<String> settings = new ArrayList<>();
		for (int i = isRequested(args) ? 1 : 0; i < args.length; i++) {
			String arg = args[i];
			if (arg.equals("--help") || arg.equals("-h")) {
				out.println(USAGE_TEXT);
				return OK;
			}
			if (arg.startsWith("--guild=")) {
				guildId = arg.substring("--guild=".length());
			}
			else if (arg.equals("--guild") && i + 1 < args.length) {
				guildId = args[++i];
			}
			else if (arg.startsWith("--") && arg.indexOf('=') > 2) {
				settings.add(arg);
			}
			else {
				err.println("register-commands: unknown argument " + arg);
				err.println(USAGE_TEXT);
				return USAGE;
			}
		}
		try (ConfigurableApplicationContext context = start(settings)) {
			CommandRegistration.Registered registered = context.getBean(CommandRegistration.class).register(guildId);
			out.println("Registered " + registered.commands().size() + " commands for application "
					+ registered.applicationId()
					+ ((registered.guildId() != null)
							? " in guild " + registered.guildId() + " (they show at once there):"
							: " globally (Discord's clients may take a while to show them):"));
			for (CommandRegistration.Command command : registered.commands()) {
				out.println("  /" + command.name() + "  " + command.id());
			}
			return OK;
		}
		catch (ApiException ex) {
			err.println("register-commands: " + ex.getMessage() + " [" + ex.code() + "]");
			return (ex.code().equals("invalid_guild_id")) ? USAGE : FAILED;
		}
		catch (RuntimeException ex) {
			err.println("register-commands: could not start: " + rootMessage(ex));
			return FAILED;
		}
	}

	private static ConfigurableApplicationContext start(List<String> settings) {
		return new SpringApplicationBuilder(ResonanceApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.lazyInitialization(true)
			.registerShutdownHook(false)
			// Defaults: settings given as arguments or in the environment win.
			.properties("logging.level.root=warn", "spring.flyway.enabled=false", "spring.jmx.enabled=false",
					"resonance.startup-banner=false")
			.initializers((context) -> {
				// Nothing runs in the background: the jobs, the webhook workers, the
				// cluster's listener are lifecycle beans, never started here.
				context.getBeanFactory()
					.registerSingleton(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME, new NoLifecycle());
				context.getBeanFactory().registerSingleton("dataSource", new NoDatabase());
				// Spring Boot's lazy initialization still creates beans that finish their
				// set-up once all are created (the admin token, the secrets' resealing),
				// which would reach the database: Resonance's own beans are created only
				// when the commands need them.
				context.addBeanFactoryPostProcessor(RegisterCommands::lazyApplicationBeans);
			})
			// An argument, so that nothing turns the embedded database back on.
			.run(arguments(settings));
	}

	private static void lazyApplicationBeans(ConfigurableListableBeanFactory beanFactory) {
		for (String name : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			String type = definition.getBeanClassName();
			if (type != null && type.startsWith("bot.resonance.")) {
				definition.setLazyInit(true);
			}
		}
	}

	private static String[] arguments(List<String> settings) {
		List<String> arguments = new ArrayList<>(settings);
		arguments.add("--resonance.embedded-db.enabled=false");
		return arguments.toArray(String[]::new);
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

	/** Starts and stops nothing. */
	private static final class NoLifecycle implements LifecycleProcessor {

		@Override
		public void onRefresh() {
		}

		@Override
		public void onClose() {
		}

		@Override
		public void start() {
		}

		@Override
		public void stop() {
		}

		@Override
		public boolean isRunning() {
			return false;
		}

	}

	/** Refuses every connection: registering commands must not need the database. */
	private static final class NoDatabase implements DataSource {

		private static SQLException refused() {
			return new SQLException("register-commands does not use the database");
		}

		@Override
		public Connection getConnection() throws SQLException {
			throw refused();
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			throw refused();
		}

		@Override
		public @Nullable PrintWriter getLogWriter() {
			return null;
		}

		@Override
		public void setLogWriter(@Nullable PrintWriter out) {
		}

		@Override
		public void setLoginTimeout(int seconds) {
		}

		@Override
		public int getLoginTimeout() {
			return 0;
		}

		@Override
		public Logger getParentLogger() throws SQLFeatureNotSupportedException {
			throw new SQLFeatureNotSupportedException();
		}

		@Override
		public <T> T unwrap(Class<T> type) throws SQLException {
			throw new SQLException("Not a wrapper");
		}

		@Override
		public boolean isWrapperFor(Class<?> type) {
			return false;
		}

	}

}
