package bot.resonance.ledger;

import java.util.List;

/**
 * Transfers were posted (in any phase), with the balances right after each. Published
 * inside the transaction that posts them, once per posting, in posting order: a
 * synchronous listener sees them before the commit and writes in the same transaction; a
 * transaction that rolls back takes them back, so an after-commit listener never hears of
 * it.
 *
 * @param transfers what was posted, in the order applied
 */
public record TransfersPosted(List<PostedTransfer> transfers) {

}
