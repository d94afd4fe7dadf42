/**
 * The double-entry ledger. Every movement of value is one balanced transfer (the debit
 * account loses exactly what the credit account gains) with a unique idempotency key;
 * transfers are append-only; balances never go negative unless an account explicitly
 * allows it (only the issuance account does). Amounts are whole numbers in a currency's
 * smallest unit.
 *
 * <p>
 * Use {@link bot.resonance.ledger.Ledger}.
 */
@ApplicationModule(displayName = "Ledger", allowedDependencies = { "identity", "platform" })
@NullMarked
package bot.resonance.ledger;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
