package bot.resonance.integrations.manual;

import bot.resonance.ResonanceApplication;

/** The running Resonance version, as packaged. */
final class Version {

	private Version() {
	}

	/**
	 * The version from the jar's manifest, or {@code development} when run from source.
	 */
	static String current() {
		String version = ResonanceApplication.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "development";
	}

}
