package bot.resonance.platform.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8UnitTests {

	@Test
	void wellFormedTextPasses() {
		for (String text : new String[] { "", "plain", "héllo", "€", "日本語", "😀 emoji",
				"\u007f\u0080\u07ff\u0800\uffff", new String(Character.toChars(0x10ffff)) }) {
			assertThat(Utf8.malformedAt(text.getBytes(StandardCharsets.UTF_8))).as(text).isEqualTo(-1);
		}
	}

	@Test
	void overlongAndOtherMalformedSequencesAreFound() {
		assertThat(Utf8.malformedAt(bytes(0x22, 0xc0, 0xb1, 0x22))).as("overlong '1'").isEqualTo(1);
		assertThat(Utf8.malformedAt(bytes(0xc0, 0xaf))).as("overlong '/'").isZero();
		assertThat(Utf8.malformedAt(bytes(0xc1, 0xbf))).as("overlong").isZero();
		assertThat(Utf8.malformedAt(bytes(0xe0, 0x80, 0xaf))).as("3-byte overlong '/'").isZero();
		assertThat(Utf8.malformedAt(bytes(0xe0, 0x9f, 0xbf))).as("3-byte overlong U+07FF").isZero();
		assertThat(Utf8.malformedAt(bytes(0xf0, 0x80, 0x80, 0xaf))).as("4-byte overlong").isZero();
		assertThat(Utf8.malformedAt(bytes(0xf0, 0x8f, 0xbf, 0xbf))).as("4-byte overlong U+FFFF").isZero();
		assertThat(Utf8.malformedAt(bytes(0xed, 0xa0, 0x80))).as("encoded surrogate D800").isZero();
		assertThat(Utf8.malformedAt(bytes(0xed, 0xbf, 0xbf))).as("encoded surrogate DFFF").isZero();
		assertThat(Utf8.malformedAt(bytes(0xf4, 0x90, 0x80, 0x80))).as("past U+10FFFF").isZero();
		assertThat(Utf8.malformedAt(bytes(0xf5, 0x80, 0x80, 0x80))).as("F5").isZero();
		assertThat(Utf8.malformedAt(bytes(0xff))).isZero();
		assertThat(Utf8.malformedAt(bytes(0x41, 0x80))).as("lone continuation").isEqualTo(1);
		assertThat(Utf8.malformedAt(bytes(0x41, 0xe2, 0x82))).as("truncated").isEqualTo(1);
		assertThat(Utf8.malformedAt(bytes(0xe2, 0x41, 0xac))).as("broken continuation").isZero();
		assertThat(Utf8.malformedAt(bytes(0xe2, 0x82, 0x41))).as("broken third byte").isZero();
	}

	@Test
	void theProblemNamesTheOffsetAndTheBytes() {
		assertThat(Utf8.problem(bytes(0x22, 0xc0, 0xb1, 0x22), 1)).contains("offset 1").contains("c0 b1 22");
	}

	/** The JDK's decoder is strict (it refuses what RFC 3629 refuses): the two agree. */
	@Property(tries = 5000)
	void agreesWithTheJdksStrictDecoder(@ForAll("utf8ish") byte[] bytes) {
		boolean jdk;
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
			jdk = true;
		}
		catch (CharacterCodingException ex) {
			jdk = false;
		}
		assertThat(Utf8.malformedAt(bytes) == -1).isEqualTo(jdk);
	}

	/** Bytes biased towards the edges of UTF-8's lead and continuation ranges. */
	@Provide
	Arbitrary<byte[]> utf8ish() {
		Arbitrary<Byte> edgy = Arbitraries
			.of(0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed,
					0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff)
			.map(Integer::byteValue);
		Arbitrary<Byte> any = Arbitraries.bytes();
		return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, edgy), net.jqwik.api.Tuple.of(1, any))
			.array(byte[].class)
			.ofMaxSize(12);
	}

	private static byte[] bytes(int... values) {
		byte[] out = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			out[i] = (byte) values[i];
		}
		return out;
	}

}
