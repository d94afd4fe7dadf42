package bot.resonance.platform.crypto;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import bot.resonance.platform.db.TransactionLocks;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At start-up, before requests are served, brings every stored secret to the configured
 * sealing key: secrets stored before a key was set get sealed, secrets sealed with a
 * previous key are sealed again with the current one (or stored plain once no key is
 * set). One node at a time does it. A node that lacks the key some secret is sealed with
 * refuses to start, rather than failing every signature later.
 */
@Component
class SecretResealing implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(SecretResealing.class);

	private final List<SealedSecrets> secrets;

	private final SecretSealer sealer;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	SecretResealing(List<SealedSecrets> secrets, SecretSealer sealer, JdbcClient jdbc,
			PlatformTransactionManager transactions) {
		this.secrets = secrets;
		this.sealer = sealer;
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactions);
	}

	@Override
	public void afterSingletonsInstantiated() {
		Integer changed = this.transactions.execute((status) -> {
			TransactionLocks.lock(this.jdbc, "resonance:reseal-secrets");
			int total = 0;
			for (SealedSecrets module : this.secrets) {
				total += module.reseal(this.sealer);
			}
			return total;
		});
		if (changed != null && changed > 0) {
			log.info("Secrets at rest: {} values brought to {}", changed,
					this.sealer.isSealing() ? "sealing key " + this.sealer.currentKeyId() : "plain text");
		}
	}

}
