/**
 * The double-entry ledger, and the one path money moves through. Every movement of value
 * is one balanced transfer (the debit account loses exactly what the credit account
 * gains) with a {@link bot.resonance.ledger.TransferCode code} that says what it is for
 * and an idempotency key the ledger derives from code and key; transfers are append-only;
 * corrections are reversals linked to what they reverse; escrow is a pending transfer,
 * later posted or voided by a transfer linked to it (TigerBeetle's two-phase transfers).
 * Balances never go below what pending transfers reserve unless an account explicitly
 * allows it (only the issuance account does). Amounts are whole numbers in a currency's
 * smallest unit.
 *
 * <p>
 * Use {@link bot.resonance.ledger.Ledger}; listen to
 * {@link bot.resonance.ledger.TransfersPosted}.
 */
@ApplicationModule(displayName = "Ledger", allowedDependencies = { "identity", "platform" })
@NullMarked
package bot.resonance.ledger;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
