package bot.resonance.platform.web;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** New request ids: their shape, and no two alike. */
class RequestIdsUnitTests {

	@Test
	void newIdsAreTwentyBase62CharactersAndDistinct() {
		Set<String> ids = new HashSet<>();
		Set<Character> used = new HashSet<>();
		for (int i = 0; i < 200_000; i++) {
			String id = RequestIdFilter.newId();
			assertThat(id).matches("req_[0-9A-Za-z]{20}");
			assertThat(ids.add(id)).as("a repeated id").isTrue();
			for (char c : id.substring(4).toCharArray()) {
				used.add(c);
			}
		}
		assertThat(used).as("every base62 character occurs").hasSize(62);
	}

}
