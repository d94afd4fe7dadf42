package bot.resonance.platform.cluster;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

class ClusterCacheUnitTests {

	private final ClusterSignals signals = mock(ClusterSignals.class);

	private final ClusterCache<String> cache = new ClusterCache<>(this.signals, "test", 100, Duration.ofMinutes(5));

	@AfterEach
	void endTransaction() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.clearSynchronization();
		}
	}

	@Test
	void aCopyReadInTheTransactionThatChangedTheBrandIsForgottenWhenItEnds() {
		this.cache.get("b1", () -> "old");
		TransactionSynchronizationManager.initSynchronization();
		this.cache.evictEverywhere("b1");
		verify(this.signals).send("test", "b1");
		assertThat(this.cache.get("b1")).isNull();
		// Read inside the transaction: what it wrote, not yet committed (and maybe
		// never).
		assertThat(this.cache.get("b1", () -> "uncommitted")).isEqualTo("uncommitted");

		List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
		synchronizations.forEach((s) -> s.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK));
		assertThat(this.cache.get("b1")).isNull();
		assertThat(this.cache.get("b1", () -> "committed")).isEqualTo("committed");
	}

	@Test
	void withoutATransactionTheBrandIsForgottenAtOnce() {
		this.cache.get("b1", () -> "old");
		this.cache.evictEverywhere("b1");
		assertThat(this.cache.get("b1")).isNull();
		assertThat(this.cache.get("b1", () -> "new")).isEqualTo("new");
		assertThat(this.cache.get("b1")).isEqualTo("new");
	}

}
