package bot.resonance.portal.internal;

/**
 * An amount in a currency, formatted with the currency's decimals, for a page. Public (as
 * every record a template reads) so that the templates' expressions can read it.
 *
 * @param currency the currency's code
 * @param value the amount in whole units ({@code 1250.00})
 */
public record Amount(String currency, String value) {
}
