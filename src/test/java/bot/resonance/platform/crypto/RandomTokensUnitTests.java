package bot.resonance.platform.crypto;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RandomTokensUnitTests {

	private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

	@Test
	void base62TokensHaveTheLengthAskedAndOnlyItsCharacters() {
		for (int length : new int[] { 0, 1, 7, 22, 64, 300 }) {
			String token = RandomTokens.base62(length);
			assertThat(token).hasSize(length);
			assertThat(token.chars()).allMatch((c) -> ALPHABET.indexOf(c) >= 0);
		}
		Set<String> tokens = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			tokens.add(RandomTokens.base62(22));
		}
		assertThat(tokens).hasSize(10_000);
	}

	/**
	 * Every character equally likely: over 620,000 characters each of the 62 is expected
	 * 10,000 times; a chi-square statistic above 120 (61 degrees of freedom) happens by
	 * chance about once in 100,000 runs, while mapping every byte with {@code % 62} (the
	 * first eight characters a quarter more likely) gives about 4,000.
	 */
	@Test
	void base62CharactersAreEquallyLikely() {
		long[] counts = new long[62];
		for (int i = 0; i < 10_000; i++) {
			RandomTokens.base62(62).chars().forEach((c) -> counts[ALPHABET.indexOf(c)]++);
		}
		double expected = 10_000;
		double chiSquare = 0;
		for (long count : counts) {
			chiSquare += (count - expected) * (count - expected) / expected;
		}
		assertThat(chiSquare).isLessThan(120);
	}

}
