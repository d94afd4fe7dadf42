package bot.resonance.identity;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import bot.resonance.support.TestClockConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.Scenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity module on its own (with the platform): linking an identity that belongs to
 * another member merges them and announces it, in the linking transaction.
 */
@ApplicationModuleTest(extraIncludes = "platform")
@Import(TestClockConfiguration.class)
class IdentityModuleTests {

	private static final AtomicLong IDS = new AtomicLong(900_000_000_000_000_000L);

	@Autowired
	Members members;

	@Test
	void linkingAnotherMembersIdentityMergesThemAndSaysSo(Scenario scenario) {
		String brand = "0x" + "a".repeat(40);
		Identity first = Identity.discord(brand, Long.toString(IDS.incrementAndGet())).orElseThrow();
		Identity second = Identity.discord(brand, Long.toString(IDS.incrementAndGet())).orElseThrow();
		scenario.stimulate(() -> {
			this.members.setStatus(second, MemberStatus.ACTIVE);
			return this.members.link(first, second);
		})
			.andWaitForEventOfType(MembersMerged.class)
			.matching((merged) -> merged.absorbed().id() != merged.survivor().id())
			.toArriveAndVerify((merged, linked) -> {
				assertThat(linked.mergedFrom()).isNotNull();
				assertThat(merged.absorbed().id()).isEqualTo(linked.mergedFrom().id());
				assertThat(merged.survivor().id()).isEqualTo(linked.member().id());
				assertThat(this.members.identities(brand, List.of(linked.member().id())).get(linked.member().id()))
					.containsExactlyInAnyOrder(first, second);
			});
	}

	@Test
	void linkingAnIdentityOfNobodyMergesNothing(Scenario scenario) {
		String brand = "0x" + "b".repeat(40);
		Identity member = Identity.discord(brand, Long.toString(IDS.incrementAndGet())).orElseThrow();
		Identity email = new Identity(brand, IdentityKind.EMAIL, "new" + IDS.incrementAndGet() + "@example.com");
		Members.Linked linked = this.members.link(member, email);
		assertThat(linked.mergedFrom()).isNull();
		assertThat(scenario).isNotNull();
	}

}
