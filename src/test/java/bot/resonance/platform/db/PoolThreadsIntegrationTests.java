package bot.resonance.platform.db;

import java.util.List;

import org.junit.jupiter.api.Test;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection pool's threads carry the application's class loader, not the embedded
 * web server's (which they would inherit from the thread that starts the pool), so
 * stopping the server never finds them as threads the web application left running.
 */
@IntegrationTest
class PoolThreadsIntegrationTests extends IntegrationTestSupport {

	@Test
	void thePoolsThreadsBelongToTheApplication() {
		List<Thread> threads = Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("resonance:"))
			.toList();
		assertThat(threads).as("the pool's threads").isNotEmpty();
		assertThat(threads).allSatisfy((thread) -> {
			assertThat(thread.getName()).startsWith("resonance:worker-");
			assertThat(thread.isDaemon()).isTrue();
			assertThat(thread.getContextClassLoader()).isSameAs(PoolThreads.class.getClassLoader());
		});
	}

}
