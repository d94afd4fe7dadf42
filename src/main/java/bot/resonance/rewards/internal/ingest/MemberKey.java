package bot.resonance.rewards.internal.ingest;

/** A member of a brand. */
public record MemberKey(String brandId, long memberId) {
}
