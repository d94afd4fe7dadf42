package bot.resonance.portal.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * How the portal shows a moment: {@code 2026-12-06 00:37 UTC}. Templates call it as
 * {@code ${@portalTime.text(…)}} where a page hands them an {@link Instant}.
 */
@Component("portalTime")
public class PortalTime {

	static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	/** The moment as the portal writes it; empty for none. */
	public String text(@Nullable Instant at) {
		return (at != null) ? TEXT.format(at) : "";
	}

}
