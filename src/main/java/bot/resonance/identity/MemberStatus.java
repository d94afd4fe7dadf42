package bot.resonance.identity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether a member can earn. A disabled member's events are rejected with USER_DISABLED.
 */
public enum MemberStatus {

	ACTIVE, DISABLED;

	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static Optional<MemberStatus> fromWireName(String name) {
		return Arrays.stream(values()).filter((status) -> status.wireName().equals(name)).findFirst();
	}

}
