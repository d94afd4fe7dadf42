package bot.resonance.identity;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How movements name their recipient (the reward webhook's {@code user_identifier} and
 * {@code user_identifier_type}): a linked wallet address with its type, else an email — a
 * real one if linked, else the alias of a platform identity.
 *
 * @param value the address or email
 * @param type {@code evm_address}, {@code solana_address}, {@code xrpl_address} or
 * {@code email}
 */
public record UserIdentifier(String value, String type) {

	/**
	 * The best identifier among a member's identities (oldest first), or empty if the
	 * member has none.
	 */
	public static Optional<UserIdentifier> best(List<Identity> identities, IdentityProperties properties) {
		Optional<Identity> wallet = identities.stream().filter((i) -> i.kind().isWallet()).findFirst();
		if (wallet.isPresent()) {
			return Optional.of(new UserIdentifier(wallet.get().value(), wallet.get().kind().wireName()));
		}
		Optional<Identity> email = identities.stream().filter((i) -> i.kind() == IdentityKind.EMAIL).findFirst();
		if (email.isPresent()) {
			return Optional.of(new UserIdentifier(email.get().value(), "email"));
		}
		return identities.stream()
			.filter((i) -> i.kind().hasAlias())
			.min(Comparator.comparingInt((Identity i) -> i.kind().ordinal()))
			.map((i) -> new UserIdentifier(properties.emailAlias(i.kind(), i.value()), "email"));
	}

}
