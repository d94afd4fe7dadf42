package bot.resonance.platform.mail;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Resonance's own mail settings; the SMTP server itself is Spring Boot's
 * {@code spring.mail.*}.
 *
 * @param from {@code RESONANCE_MAIL_FROM}: the {@code From} of every mail, an address
 * with an optional display name ({@code Resonance <no-reply@example.com>}); most SMTP
 * servers only accept a sender their account may use
 */
@ConfigurationProperties("resonance.mail")
record ResonanceMailProperties(@DefaultValue("Resonance <no-reply@resonance.invalid>") String from) {

}
