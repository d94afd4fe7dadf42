/**
 * Outgoing email through the SMTP server the operator configures ({@code spring.mail.*}).
 *
 * <p>
 * Modules send one-time codes to members with {@link bot.resonance.platform.mail.Mail}:
 * check {@link bot.resonance.platform.mail.Mail#available()} to offer an email-based step
 * at all, then {@link bot.resonance.platform.mail.Mail#send(OutgoingMail)}. Without
 * {@code spring.mail.host} no mail sender exists and sending throws
 * {@link bot.resonance.platform.mail.MailUnavailableException}; an SMTP server that
 * cannot be reached or refuses the mail throws
 * {@link bot.resonance.platform.mail.MailFailedException}. Both are
 * {@link bot.resonance.platform.web.ApiException}s, so a request that lets one escape is
 * answered with a clear problem ({@code 503 mail_unavailable}, {@code 502 mail_failed}),
 * never a stack trace. Mails are plain text in UTF-8, from {@code resonance.mail.from}.
 */
@NullMarked
package bot.resonance.platform.mail;

import org.jspecify.annotations.NullMarked;
