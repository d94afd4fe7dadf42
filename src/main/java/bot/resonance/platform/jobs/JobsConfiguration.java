package bot.resonance.platform.jobs;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** The jobs table, the node's runner of every {@link JobHandler}, and {@link Jobs}. */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

	@Bean
	JobStore jobStore(JdbcClient jdbc) {
		return new JobStore(jdbc);
	}

	/** Handlers are looked up when the runner starts, so they may use {@link Jobs}. */
	@Bean
	JobRunner jobRunner(JobStore store, PlatformTransactionManager transactions, Clock clock, JobsProperties properties,
			ObjectProvider<JobHandler> handlers) {
		return new JobRunner(store, transactions, clock, properties, nodeId(), () -> handlers.orderedStream().toList());
	}

	@Bean
	Jobs jobs(JobStore store, JobRunner runner, Clock clock) {
		return new Jobs(store, runner, clock);
	}

	/**
	 * This node in claims: {@code pid@host} (what the JVM calls itself) and a random
	 * part, since a restarted container may come back with the same pid and host.
	 */
	private static String nodeId() {
		byte[] random = new byte[3];
		ThreadLocalRandom.current().nextBytes(random);
		return ManagementFactory.getRuntimeMXBean().getName() + "/" + HexFormat.of().formatHex(random);
	}

}
