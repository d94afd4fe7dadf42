package bot.resonance.platform.db;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import bot.resonance.platform.DurationText;
import bot.resonance.platform.logging.Failures;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code db} health part, in place of Spring Boot's: a query on a pooled connection,
 * answered within {@code resonance.health.database-timeout} (2 s by default) whatever
 * happens. While the database cannot be reached a connection is waited for up to the
 * pool's connection timeout (30 s); an orchestrator's probe must hear {@code DOWN} before
 * its own timeout, not nothing. Part of the readiness group: a node without its database
 * cannot serve, but restarting it (liveness) would not help.
 */
@Component("dbHealthIndicator")
class DatabaseHealthIndicator implements HealthIndicator {

	private final DataSource dataSource;

	private final Duration timeout;

	private final Executor checks = Executors.newVirtualThreadPerTaskExecutor();

	DatabaseHealthIndicator(DataSource dataSource, @Value("${resonance.health.database-timeout:2s}") Duration timeout) {
		this.dataSource = dataSource;
		this.timeout = timeout;
	}

	@Override
	public Health health() {
		CompletableFuture<Health> check = CompletableFuture.supplyAsync(this::query, this.checks);
		try {
			return check.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			return Health.down()
				.withDetail("error", "The database did not answer within " + DurationText.of(this.timeout))
				.build();
		}
		catch (ExecutionException ex) {
			return Health.down().withDetail("error", Failures.describe(ex.getCause())).build();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.unknown().build();
		}
	}

	private Health query() {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			statement.setQueryTimeout((int) Math.max(1, this.timeout.toSeconds()));
			statement.execute("select 1");
			return Health.up()
				.withDetail("database", connection.getMetaData().getDatabaseProductName())
				.withDetail("validationQuery", "select 1")
				.build();
		}
		catch (Exception ex) {
			return Health.down().withDetail("error", Failures.describe(ex)).build();
		}
	}

}
