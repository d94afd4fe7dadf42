package bot.resonance.identity;

import java.time.Instant;

/**
 * A person within a brand.
 *
 * @param brandId the brand
 * @param id the member's id, unique within the brand
 * @param status active or disabled
 * @param createdAt when the member was first seen
 */
public record Member(String brandId, long id, MemberStatus status, Instant createdAt) {

	public boolean isActive() {
		return this.status == MemberStatus.ACTIVE;
	}

}
