package bot.resonance.portal.internal;

/**
 * A new two-factor secret as the Account page shows it while it is being turned on.
 * Public (as every record a template reads) so that the templates' expressions can read
 * it.
 *
 * @param secret the secret in base32, to type into an app
 * @param uri the {@code otpauth://} URI apps read
 * @param qrCode the URI as a QR code, a {@code data:} image
 */
public record TotpSetup(String secret, String uri, String qrCode) {
}
