package bot.resonance.portal.internal;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A credit to a brand's wallet as the operator console lists it. Public (as every record
 * a template reads) so that the templates' expressions can read it.
 *
 * @param transferId the ledger transfer
 * @param amount what was credited
 * @param reference what the operator noted with it
 * @param createdAt when
 */
public record FundingLine(long transferId, Amount amount, @Nullable String reference, Instant createdAt) {
}
