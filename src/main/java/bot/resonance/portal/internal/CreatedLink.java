package bot.resonance.portal.internal;

/**
 * A one-time link (invitation or password reset) shown once on the page that created it.
 * Public (as every record a template reads) so that the templates' expressions can read
 * it.
 *
 * @param kind {@code invitation} or {@code reset}
 * @param email whom it is for
 * @param url the link
 * @param expiresAt until when it works (UTC)
 * @param emailed whether it was mailed to them too
 */
public record CreatedLink(String kind, String email, String url, String expiresAt, boolean emailed) {
}
