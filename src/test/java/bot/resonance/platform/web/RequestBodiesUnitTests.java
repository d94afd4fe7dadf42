package bot.resonance.platform.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBodiesUnitTests {

	private static ByteArrayInputStream stream(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aBodyOfItsDeclaredLengthIsReadWhole() throws IOException {
		assertThat(RequestBodies.readDeclared(stream("{\"a\":1}"), 7, 100)).asString(StandardCharsets.UTF_8)
			.isEqualTo("{\"a\":1}");
		assertThat(RequestBodies.readDeclared(stream(""), 0, 100)).isEmpty();
	}

	@Test
	void aBodyShorterThanDeclaredIsWhatArrived() throws IOException {
		assertThat(RequestBodies.readDeclared(stream("abc"), 10, 100)).asString(StandardCharsets.UTF_8)
			.isEqualTo("abc");
	}

	@Test
	void bytesBeyondTheDeclaredLengthStillCountAgainstTheLimit() throws IOException {
		assertThat(RequestBodies.readDeclared(stream("abcdef"), 3, 100)).asString(StandardCharsets.UTF_8)
			.isEqualTo("abcdef");
		assertThat(RequestBodies.readDeclared(stream("abcdef"), 3, 6)).hasSize(6);
		assertThatThrownBy(() -> RequestBodies.readDeclared(stream("abcdefg"), 3, 6))
			.isInstanceOf(BodyTooLargeException.class);
		assertThatThrownBy(() -> RequestBodies.readDeclared(stream("abcd"), 3, 3))
			.isInstanceOf(BodyTooLargeException.class);
	}

	@Test
	void aBodyOfUnknownLengthIsReadUpToTheLimit() throws IOException {
		assertThat(RequestBodies.readLimited(stream("x".repeat(20_000)), 20_000)).hasSize(20_000);
		assertThatThrownBy(() -> RequestBodies.readLimited(stream("x".repeat(20_001)), 20_000))
			.isInstanceOf(BodyTooLargeException.class);
	}

}
