package bot.resonance.platform.web;

/**
 * The API speaks snake_case; Java speaks camelCase. Used where field names surface in
 * errors.
 */
public final class JsonNames {

	private JsonNames() {
	}

	public static String snakeCase(String javaName) {
		StringBuilder out = new StringBuilder(javaName.length() + 4);
		for (int i = 0; i < javaName.length(); i++) {
			char c = javaName.charAt(i);
			if (Character.isUpperCase(c)) {
				if (i > 0) {
					out.append('_');
				}
				out.append(Character.toLowerCase(c));
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

}
