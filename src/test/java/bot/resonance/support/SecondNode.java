package bot.resonance.support;

import java.time.Clock;

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
		String[] arguments = new String[settings.length + 1];
		arguments[0] = "--server.port=0";
		for (int i = 0; i < settings.length; i++) {
			arguments[i + 1] = "--" + settings[i];
		}
		return arguments;
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
