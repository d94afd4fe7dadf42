package bot.resonance.discord.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigCommandUnitTests {

	@Test
	void theApisRefusalsAreToldInTheFormsWords() {
		assertThat(ConfigCommand.inFormWords("amount (51) must not exceed max_amount (50)."))
			.isEqualTo("Amount (51) must not exceed this type's max_amount (50). Nothing was changed.");
		assertThat(ConfigCommand.inFormWords("Field 'cooldown_seconds' must be between 0 and 31536000."))
			.isEqualTo("Cooldown (seconds) must be between 0 and 31536000. Nothing was changed.");
		assertThat(ConfigCommand.inFormWords("Field 'daily_limit' must be between 1 and 1000000"))
			.isEqualTo("Daily limit must be between 1 and 1000000. Nothing was changed.");
		assertThat(ConfigCommand.inFormWords(null)).isEqualTo("The change was refused. Nothing was changed.");
	}

}
