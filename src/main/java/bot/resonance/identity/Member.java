package bot.resonance.identity;

import java.time.Instant;

/**
 * A person as one brand knows them.
 *
 * @param brandId the brand
 * @param id the member's id, unique within the brand
 * @param personId the person across the network ({@link Person}); several brands' members
 * can be one person
 * @param status active or disabled, the brand's decision
 * @param createdAt when the member was first seen
 */
public record Member(String brandId, long id, long personId, MemberStatus status, Instant createdAt) {

	public boolean isActive() {
		return this.status == MemberStatus.ACTIVE;
	}

}
