/**
 * The network: people across brands and RSNC, the currency they carry between them. A
 * person redeems RSNC at any brand with a short-lived code they issued themselves; an
 * identity that belongs to another person is linked only with that person's confirmation.
 * What a brand sees of a person is its own members' data and, for them, the network
 * wallet and RSNC balance (docs/network.md).
 *
 * <p>
 * Use {@link bot.resonance.network.Redemptions} and
 * {@link bot.resonance.network.LinkConfirmations}; listen to
 * {@link bot.resonance.network.RsncRedeemed}.
 */
@ApplicationModule(displayName = "Network", allowedDependencies = { "platform", "identity", "ledger", "brands" })
@NullMarked
package bot.resonance.network;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
