package bot.resonance.identity;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Race;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Members resolved in racing transactions: a brand that first sees one person under
 * several identities at once, each in a transaction of its own (an event, a Discord
 * command, an incoming action: callers that do not hold the brand's lock), makes one
 * member of them.
 */
@IntegrationTest
class MemberResolutionRaceIntegrationTests extends IntegrationTestSupport {

	private static final int PEOPLE = 8;

	private static final int IDENTITIES_EACH = 6;

	@Autowired
	Members members;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Test
	void aPersonAnotherBrandKnowsUnderManyIdentitiesBecomesOneMemberOfABrandThatSeesThemAllAtOnce() {
		String knowing = newBrandId();
		String seeing = newBrandId();
		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);
		List<List<String>> people = new ArrayList<>();
		for (int p = 0; p < PEOPLE; p++) {
			String discord = newUserId();
			Identity first = Identity.discord(knowing, discord).orElseThrow();
			transaction.executeWithoutResult((status) -> this.members.resolveOrCreate(List.of(first)));
			List<String> emails = new ArrayList<>();
			for (int e = 1; e < IDENTITIES_EACH; e++) {
				String email = "race" + e + "." + discord + "@example.com";
				this.members.link(first, new Identity(knowing, IdentityKind.EMAIL, email));
				emails.add(email);
			}
			List<String> values = new ArrayList<>();
			values.add(discord);
			values.addAll(emails);
			people.add(values);
		}
		List<Identity> seen = new ArrayList<>();
		for (List<String> values : people) {
			seen.add(Identity.discord(seeing, values.getFirst()).orElseThrow());
			values.stream().skip(1).forEach((email) -> seen.add(new Identity(seeing, IdentityKind.EMAIL, email)));
		}
		List<Member> resolved = Race.run(seen.size(), (i) -> transaction
			.execute((status) -> this.members.resolveOrCreate(List.of(seen.get(i))).get(seen.get(i))));
		for (int p = 0; p < PEOPLE; p++) {
			List<Member> ofPerson = resolved.subList(p * IDENTITIES_EACH, (p + 1) * IDENTITIES_EACH);
			long person = this.members.find(Identity.discord(knowing, people.get(p).getFirst()).orElseThrow())
				.orElseThrow()
				.personId();
			assertThat(ofPerson).as("person %d's members at the brand seeing them", p)
				.extracting(Member::id)
				.containsOnly(ofPerson.getFirst().id());
			assertThat(ofPerson).extracting(Member::personId).containsOnly(person);
			assertThat(this.jdbc.sql("select count(*) from members where brand_id = :brand and person_id = :person")
				.params(Map.of("brand", seeing, "person", person))
				.query(Long.class)
				.single()).isEqualTo(1);
		}
	}

	private static String newBrandId() {
		byte[] bytes = new byte[20];
		ThreadLocalRandom.current().nextBytes(bytes);
		return "0x" + HexFormat.of().formatHex(bytes);
	}

}
