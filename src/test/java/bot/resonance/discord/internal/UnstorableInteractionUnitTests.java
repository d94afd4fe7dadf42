package bot.resonance.discord.internal;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Where in an interaction a character that cannot be stored is. */
class UnstorableInteractionUnitTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void namesThePathOfTheFirstNameOrStringThatCannotBeStored() {
		assertThat(InteractionController.firstUnstorable(JSON.readTree("""
				{"id": "1", "data": {"name": "wallet", "options": [{"name": "redeem", "options": [
				  {"name": "amount", "value": 5}, {"name": "reference", "value": "half \\ud800 pair"}]}]}}"""), ""))
			.isEqualTo("data.options[0].options[1].value");
		assertThat(InteractionController.firstUnstorable(JSON.readTree("{\"data\": {\"na\\u0000me\": 1}}"), ""))
			.isEqualTo("a field name in data");
		assertThat(InteractionController.firstUnstorable(JSON.readTree("{\"id\": \"a\\u0000\"}"), "")).isEqualTo("id");
		assertThat(InteractionController.firstUnstorable(JSON.readTree("""
				{"id": "1", "data": {"name": "balance", "options": [{"name": "user", "value": "emoji 😀 pair"}]}}"""),
				""))
			.isNull();
	}

}
