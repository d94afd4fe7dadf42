package bot.resonance.identity;

/**
 * One person across the network: every identity belongs to exactly one person, whichever
 * brands saw it; each brand knows the person as its own {@link Member}.
 *
 * @param id the person's id, never shown to brands
 * @param address the person's network wallet: a stable wallet-style address ({@code 0x} +
 * 40 hex digits, EIP-55 capitalised) that brands, webhooks and Discord show
 */
public record Person(long id, String address) {
}
