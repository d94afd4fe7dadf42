package bot.resonance.platform;

import java.util.regex.Pattern;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** A character class answers as the regular expression it stands for. */
class CharClassUnitTests {

	private static final CharClass NAME = CharClass.of("a-z0-9_");

	private static final Pattern NAME_PATTERN = Pattern.compile("[a-z0-9_]{1,64}");

	private static final CharClass QUEUE = CharClass.of("a-z0-9._-");

	@Test
	void listsCharactersAndRanges() {
		assertThat(NAME.matches("custom_event_1", 1, 64)).isTrue();
		assertThat(NAME.matches("Custom", 1, 64)).isFalse();
		assertThat(NAME.matches("", 1, 64)).isFalse();
		assertThat(NAME.matches("a".repeat(65), 1, 64)).isFalse();
		assertThat(NAME.matches("ünicode", 1, 64)).isFalse();
		assertThat(QUEUE.matches("reward-statistics.v2", 1, 63)).isTrue();
		assertThat(QUEUE.contains('-')).isTrue();
		assertThat(QUEUE.contains('/')).isFalse();
		assertThat(QUEUE.allIn("x/ab", 2, 4)).isTrue();
		assertThat(QUEUE.allIn("x/ab", 0, 4)).isFalse();
	}

	@Test
	void refusesWhatIsNotAnAsciiRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> CharClass.of("z-a"));
		assertThatIllegalArgumentException().isThrownBy(() -> CharClass.of("a-é"));
	}

	@Property(tries = 2000)
	void answersAsTheRegularExpression(@ForAll @StringLength(max = 70) String text) {
		assertThat(NAME.matches(text, 1, 64)).isEqualTo(NAME_PATTERN.matcher(text).matches());
	}

	@Property(tries = 2000)
	void answersAsTheRegularExpressionForItsOwnAlphabet(
			@ForAll @StringLength(max = 70) @CharRange(from = '^', to = '{') String text) {
		assertThat(NAME.matches(text, 1, 64)).isEqualTo(NAME_PATTERN.matcher(text).matches());
	}

}
