package bot.resonance.ledger.internal;

import bot.resonance.ledger.AccountKey;

/** An account as stored. */
public record AccountRow(long id, AccountKey key, long balance, boolean allowNegative) {
}
