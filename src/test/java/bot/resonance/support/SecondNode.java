package bot.resonance.support;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import bot.resonance.ResonanceApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Another Resonance node in this JVM, sharing the first node's database and clock: what a
 * deployment of several stateless nodes behind a load balancer looks like.
 */
public final class SecondNode implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private SecondNode(ConfigurableApplicationContext context) {
		this.context = context;
	}

	public static SecondNode start(Environment firstNode, Clock clock) {
		return start(firstNode, clock, new String[0]);
	}

	/**
	 * Starts a node with more settings ({@code name=value}), which override the common
	 * ones.
	 */
	public static SecondNode start(Environment firstNode, Clock clock, String... settings) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ResonanceApplication.class)
			.initializers((ctx) -> ctx.getBeanFactory().registerSingleton("clock", clock))
			.properties("spring.datasource.url=" + firstNode.getProperty("spring.datasource.url"),
					"spring.datasource.username=" + firstNode.getProperty("spring.datasource.username"),
					"spring.datasource.password=" + firstNode.getProperty("spring.datasource.password", ""),
					"resonance.admin.token=" + ResonanceClient.ADMIN_TOKEN, "resonance.startup-banner=false",
					"resonance.rewards.pending-poll-interval=1h",
					"resonance.webhooks.allowed-private-targets=127.0.0.0/8", "resonance.webhooks.poll-interval=200ms",
					"spring.jmx.enabled=false")
			// As arguments, which override application.yml (its server.port is 8080).
			.run(arguments(settings));
		return new SecondNode(context);
	}

	private static String[] arguments(String... settings) {
		List<String> arguments = new ArrayList<>();
		arguments.add("--server.port=0");
		// Like the first node, interactions are checked with the test application's key
		// (arguments too: application.yml sets these from the environment).
		for (String setting : List.of("resonance.discord.interactions.public-key=" + DiscordInteractions.PUBLIC_KEY,
				"resonance.discord.interactions.application-id=" + DiscordBot.APPLICATION_ID)) {
			String name = setting.substring(0, setting.indexOf('=') + 1);
			if (Arrays.stream(settings).noneMatch((given) -> given.startsWith(name))) {
				arguments.add("--" + setting);
			}
		}
		for (String setting : settings) {
			arguments.add("--" + setting);
		}
		return arguments.toArray(String[]::new);
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	/** A property of the node's environment ({@code local.management.port}, say). */
	public String property(String name) {
		return this.context.getEnvironment().getRequiredProperty(name);
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
