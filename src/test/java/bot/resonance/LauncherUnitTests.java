package bot.resonance;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar's start class: it loads on the Java 17 Spring Boot's launcher needs, and on an
 * older Java than 25 it explains what to do instead of failing to load Resonance.
 */
class LauncherUnitTests {

	@Test
	void isCompiledForJava17SoThatAnOlderJavaCanRunIt() throws IOException {
		try (InputStream in = Launcher.class.getResourceAsStream("Launcher.class")) {
			DataInputStream data = new DataInputStream(in);
			assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
			data.readUnsignedShort();
			assertThat(data.readUnsignedShort()).as("class file major version").isEqualTo(61);
		}
		try (InputStream in = ResonanceApplication.class.getResourceAsStream("ResonanceApplication.class")) {
			DataInputStream data = new DataInputStream(in);
			data.readInt();
			data.readUnsignedShort();
			assertThat(data.readUnsignedShort()).as("the application itself is Java 25's").isEqualTo(69);
		}
	}

	@Test
	void anOlderJavaIsToldWhatIsNeededAndHow() {
		String problem = Launcher.problem(21, "/usr/lib/jvm/java-21-openjdk-amd64");
		assertThat(problem).contains("Resonance needs Java 25 or newer, and this is Java 21")
			.contains("/usr/lib/jvm/java-21-openjdk-amd64")
			.contains("bin/resonance")
			.contains("-jar resonance.jar");
		assertThat(Launcher.problem(17, "/jdk")).contains("this is Java 17");
	}

	@Test
	void java25AndNewerStartResonance() {
		assertThat(Launcher.problem(25, "/jdk")).isNull();
		assertThat(Launcher.problem(26, "/jdk")).isNull();
		assertThat(Launcher.problem(Runtime.version().feature(), System.getProperty("java.home"))).isNull();
	}

}
