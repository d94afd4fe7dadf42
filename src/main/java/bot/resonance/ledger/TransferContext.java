package bot.resonance.ledger;

import org.jspecify.annotations.Nullable;

/**
 * Who a transfer is about and why, in the words of the use case that moves the money: the
 * ledger does not store it, it passes it on to the listeners of {@link TransfersPosted}
 * with the transfer (the outgoing webhooks tell members' balance changes with it).
 * Transfers without one (a brand's funding, a merge moving a member's balance to the
 * member it was merged into) change no balance a member would be told about.
 *
 * @param userId the member's user id as the use case knows it (a Discord id, an email)
 * @param guildId the Discord server it happened in, if any
 * @param reason why the member's balance changed, a short upper-case word
 * ({@code REWARD}, {@code REFUND}, {@code INCOMING_WEBHOOK}, {@code DUEL_WIN})
 */
public record TransferContext(String userId, @Nullable String guildId, String reason) {

}
