package bot.resonance.discord;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Text cut to Discord's limits stays text. */
class UiUnitTests {

	@Test
	void clippingNeverSplitsACharacterInTwo() {
		String text = "a".repeat(58) + "😀😀😀";
		String clipped = Ui.clip(text, 60);
		assertThat(clipped).isEqualTo("a".repeat(58) + "…");
		assertThat(clipped.length()).isLessThanOrEqualTo(60);
		assertThat(Ui.clip("a".repeat(57) + "😀😀😀", 60)).isEqualTo("a".repeat(57) + "😀…");
		assertThat(Ui.clip("short", 60)).isEqualTo("short");
		assertThat(Ui.clip("😀😀", 2)).isEqualTo("…");
	}

}
