package bot.resonance.ledger;

import java.time.Instant;

/**
 * A transfer as written to the ledger, with both balances right after it (transfers
 * posted together are applied in the order given).
 */
public record PostedTransfer(long id, TransferRequest request, long debitBalanceAfter, long creditBalanceAfter,
		Instant createdAt) {
}
