package bot.resonance.ledger.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the ledger.
 *
 * @param pendingExpiryInterval how often pending transfers (escrow) that expired are
 * voided, their reserve released; an expired pending transfer can no longer be posted
 * whether or not it was voided yet
 */
@ConfigurationProperties("resonance.ledger")
public record LedgerProperties(@DefaultValue("30s") Duration pendingExpiryInterval) {

	public LedgerProperties {
		if (pendingExpiryInterval.isNegative() || pendingExpiryInterval.isZero()) {
			throw new IllegalArgumentException("resonance.ledger.pending-expiry-interval must be positive");
		}
	}

}
