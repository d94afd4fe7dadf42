package bot.resonance.rewards.internal.ingest;

/** A member and an event type of a brand. */
public record MemberTypeKey(String brandId, long memberId, String eventType) {

	public MemberKey member() {
		return new MemberKey(this.brandId, this.memberId);
	}

}
