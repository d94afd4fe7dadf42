package bot.resonance.platform.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import bot.resonance.platform.logging.Failures;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Cross-node signals. {@link #send} queues a signal in the current transaction
 * (PostgreSQL delivers it only if and when that transaction commits); every node, this
 * one included, hears it through one long-lived listening connection and calls the
 * channel's handlers.
 *
 * <p>
 * If the listening connection breaks, signals sent meanwhile are lost, so on reconnecting
 * the channel's {@code onReconnect} handler runs (a cache drops everything, for
 * instance).
 */
@Component
public class ClusterSignals implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ClusterSignals.class);

	private static final Pattern CHANNEL = Pattern.compile("[a-z_]{1,63}");

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

	private volatile boolean running;

	private volatile Thread listener;

	ClusterSignals(DataSource dataSource, JdbcClient jdbc) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
	}

	/**
	 * Calls {@code handler} with the payload of every signal on {@code channel}, and
	 * {@code onReconnect} whenever signals may have been missed. Subscribe before the
	 * application starts (from a bean constructor or initializer).
	 */
	public void subscribe(String channel, Consumer<String> handler, Runnable onReconnect) {
		if (!CHANNEL.matcher(channel).matches()) {
			throw new IllegalArgumentException("Channel names are lower-case letters and _: " + channel);
		}
		this.subscriptions.computeIfAbsent(channel, (c) -> new Subscription()).add(handler, onReconnect);
	}

	/** Sends a signal when the current transaction commits (at once without one). */
	public void send(String channel, String payload) {
		this.jdbc.sql("select pg_notify(:channel, :payload)")
			.param("channel", channel)
			.param("payload", payload)
			.query()
			.singleValue();
	}

	@Override
	public void start() {
		this.running = true;
		this.listener = Thread.ofPlatform().name("cluster-signals").daemon(true).start(this::listen);
	}

	@Override
	public void stop() {
		this.running = false;
		Thread thread = this.listener;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(2_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void listen() {
		boolean first = true;
		while (this.running) {
			try (Connection connection = this.dataSource.getConnection()) {
				connection.setAutoCommit(true);
				try (Statement statement = connection.createStatement()) {
					for (String channel : this.subscriptions.keySet()) {
						statement.execute("listen " + channel);
					}
				}
				if (!first) {
					this.subscriptions.values().forEach(Subscription::reconnected);
				}
				first = false;
				PGConnection pg = connection.unwrap(PGConnection.class);
				while (this.running) {
					PGNotification[] notifications = pg.getNotifications(500);
					if (notifications != null) {
						for (PGNotification notification : notifications) {
							Subscription subscription = this.subscriptions.get(notification.getName());
							if (subscription != null) {
								subscription.deliver(notification.getParameter());
							}
						}
					}
				}
			}
			catch (SQLException ex) {
				if (this.running) {
					log.warn("Lost the cluster signal connection ({}); reconnecting", ex.getMessage());
					sleep();
				}
			}
		}
	}

	private void sleep() {
		try {
			Thread.sleep(1_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static final class Subscription {

		private final List<Consumer<String>> handlers = new CopyOnWriteArrayList<>();

		private final List<Runnable> reconnectHandlers = new CopyOnWriteArrayList<>();

		void add(Consumer<String> handler, Runnable onReconnect) {
			this.handlers.add(handler);
			this.reconnectHandlers.add(onReconnect);
		}

		void deliver(String payload) {
			for (Consumer<String> handler : this.handlers) {
				try {
					handler.accept(payload);
				}
				catch (RuntimeException ex) {
					Failures.warn(log, ex, "A cluster signal handler failed");
				}
			}
		}

		void reconnected() {
			this.reconnectHandlers.forEach(Runnable::run);
		}

	}

}
