package bot.resonance;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The jar's start class. Resonance needs Java 25, but Spring Boot's launcher, which runs
 * first, works from Java 17: this class is compiled for Java 17 too (it lives apart from
 * the rest, in src/launcher/java), so that {@code java -jar} on a Java 17 to 24 says what
 * is needed instead of failing with {@code UnsupportedClassVersionError}. On Java 25 or
 * newer it starts {@code ResonanceApplication}.
 */
public final class Launcher {

	static final int REQUIRED_JAVA = 25;

	private Launcher() {
	}

	public static void main(String[] args) throws Throwable {
		String problem = problem(Runtime.version().feature(), System.getProperty("java.home"));
		if (problem != null) {
			System.err.println(problem);
			System.exit(1);
		}
		// Looked up only now: its class file is Java 25's, which an older Java cannot load.
		Class<?> application = Class.forName("bot.resonance.ResonanceApplication", true,
				Launcher.class.getClassLoader());
		MethodHandle main = MethodHandles.publicLookup()
			.findStatic(application, "main", MethodType.methodType(void.class, String[].class));
		main.invoke(args);
	}

	/**
	 * What is wrong with running Resonance on Java {@code feature} installed in
	 * {@code javaHome}, or null if nothing is.
	 */
	static String problem(int feature, String javaHome) {
		if (feature >= REQUIRED_JAVA) {
			return null;
		}
		return "Resonance needs Java " + REQUIRED_JAVA + " or newer, and this is Java " + feature + " (" + javaHome
				+ ").\nRun it with a JDK " + REQUIRED_JAVA + ": from the project folder, bin/resonance finds one and"
				+ " runs the jar with it;\nor name one yourself: /path/to/jdk-" + REQUIRED_JAVA
				+ "/bin/java -jar resonance.jar";
	}

}
