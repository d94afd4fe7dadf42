package bot.resonance.identity;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import bot.resonance.identity.internal.Wallets;
import org.springframework.stereotype.Component;

/**
 * Reads identities as brands send them: checks and normalises each kind (snowflakes,
 * emails with a lower-case domain, checksummed wallet addresses), and resolves the
 * deterministic email aliases of platform identities ({@code discord_{id}@rsnc.network})
 * to the platform identity, so an alias and the id it stands for reach one member.
 */
@Component
public class Identities {

	private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]+");

	private static final Pattern ALIAS = Pattern.compile("(discord|telegram|twitter)_([0-9]{1,20})",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern KIND_PREFIX = Pattern.compile("([a-z_]+):(.+)");

	private final IdentityProperties properties;

	Identities(IdentityProperties properties) {
		this.properties = properties;
	}

	/**
	 * The identity of {@code kind} with {@code value}, normalised; an email that is an
	 * alias becomes its platform identity.
	 * @throws InvalidIdentityException if the kind is unknown or the value is not one of
	 * it
	 */
	public Identity parse(String brandId, String kind, String value) {
		IdentityKind known = IdentityKind.fromWireName(kind)
			.orElseThrow(() -> new InvalidIdentityException("kind must be one of discord, email, telegram, "
					+ "twitter, evm_address, solana_address, xrpl_address."));
		return parse(brandId, known, value);
	}

	public Identity parse(String brandId, IdentityKind kind, String value) {
		String trimmed = value.trim();
		try {
			return switch (kind) {
				case DISCORD, TELEGRAM, TWITTER -> new Identity(brandId, kind, id(kind, trimmed));
				case EMAIL -> email(brandId, trimmed);
				case EVM_ADDRESS -> new Identity(brandId, kind, Wallets.evm(trimmed));
				case SOLANA_ADDRESS -> new Identity(brandId, kind, Wallets.solana(trimmed));
				case XRPL_ADDRESS -> new Identity(brandId, kind, Wallets.xrpl(trimmed));
			};
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidIdentityException(
					kind.wireName() + " '" + shorten(trimmed) + "' is not valid: " + ex.getMessage() + ".");
		}
	}

	/**
	 * A member as a path or query names it: a Discord user id (digits), an email (aliases
	 * resolved), an EVM, Solana or XRPL address, or {@code kind:value} for any kind
	 * ({@code telegram:123}).
	 * @throws InvalidIdentityException if it names none of these
	 */
	public Identity reference(String brandId, String reference) {
		String trimmed = reference.trim();
		Matcher prefixed = KIND_PREFIX.matcher(trimmed);
		if (prefixed.matches() && IdentityKind.fromWireName(prefixed.group(1)).isPresent()) {
			return parse(brandId, prefixed.group(1), prefixed.group(2));
		}
		if (DIGITS.matcher(trimmed).matches()) {
			return parse(brandId, IdentityKind.DISCORD, trimmed);
		}
		if (trimmed.contains("@")) {
			return parse(brandId, IdentityKind.EMAIL, trimmed);
		}
		if (trimmed.startsWith("0x") || trimmed.startsWith("0X")) {
			return parse(brandId, IdentityKind.EVM_ADDRESS, trimmed);
		}
		if (trimmed.startsWith("r")) {
			try {
				return new Identity(brandId, IdentityKind.XRPL_ADDRESS, Wallets.xrpl(trimmed));
			}
			catch (IllegalArgumentException notXrpl) {
				// perhaps a Solana address starting with r
			}
		}
		try {
			return new Identity(brandId, IdentityKind.SOLANA_ADDRESS, Wallets.solana(trimmed));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidIdentityException("'" + shorten(trimmed) + "' names no member: use a Discord user id, "
					+ "an email, a wallet address, or kind:value (telegram:123).");
		}
	}

	/** The email alias of a platform identity: {@code discord_123@rsnc.network}. */
	public String emailAlias(IdentityKind kind, String value) {
		return this.properties.emailAlias(kind, value);
	}

	private Identity email(String brandId, String value) {
		if (value.length() > 254 || !EMAIL.matcher(value).matches()) {
			throw new IllegalArgumentException("an email looks like name@example.com");
		}
		int at = value.lastIndexOf('@');
		String local = value.substring(0, at);
		String domain = value.substring(at + 1).toLowerCase(Locale.ROOT);
		Matcher alias = ALIAS.matcher(local);
		if (alias.matches() && domain.equals(this.properties.aliasDomain().toLowerCase(Locale.ROOT))) {
			IdentityKind kind = IdentityKind.fromWireName(alias.group(1).toLowerCase(Locale.ROOT)).orElseThrow();
			return new Identity(brandId, kind, id(kind, alias.group(2)));
		}
		return new Identity(brandId, IdentityKind.EMAIL, local + "@" + domain);
	}

	private static String id(IdentityKind kind, String value) {
		if (!DIGITS.matcher(value).matches()) {
			throw new IllegalArgumentException("a " + kind.wireName() + " id is 1 to 20 digits");
		}
		// Leading zeros never occur in these ids: "007" and "7" are one user.
		return value.replaceFirst("^0+(?=.)", "");
	}

	private static String shorten(String value) {
		return (value.length() > 80) ? value.substring(0, 80) + "…" : value;
	}

}
