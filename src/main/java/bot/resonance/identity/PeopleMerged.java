package bot.resonance.identity;

import java.time.Instant;

/**
 * Two people turned out to be one and were merged, with the absorbed person's
 * confirmation (or, for a person only one brand ever knew and who holds nothing of the
 * network's, that brand's word): {@code absorbed} gave its identities and memberships to
 * {@code survivor}. Published inside the merging transaction, which holds both people
 * locked: what is kept per person (the RSNC balance) moves in that same transaction.
 *
 * @param survivor the person that remains
 * @param absorbed the person merged into it
 * @param at when
 */
public record PeopleMerged(long survivor, long absorbed, Instant at) {
}
