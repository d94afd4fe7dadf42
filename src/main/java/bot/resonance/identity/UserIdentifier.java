package bot.resonance.identity;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How movements name their recipient (the reward webhook's {@code user_identifier} and
 * {@code user_identifier_type}): a wallet address the brand linked, with its type, else
 * the person's network wallet ({@link Person#address()}, an {@code evm_address}).
 *
 * @param value the address or email
 * @param type {@code evm_address}, {@code solana_address}, {@code xrpl_address} or
 * {@code email}
 */
public record UserIdentifier(String value, String type) {

	/**
	 * A member's identifier: the first wallet among the identities the brand linked
	 * (oldest first), else the person's network wallet.
	 */
	public static UserIdentifier of(List<Identity> identities, Person person) {
		return identities.stream()
			.filter((i) -> i.kind().isWallet())
			.findFirst()
			.map((wallet) -> new UserIdentifier(wallet.value(), wallet.kind().wireName()))
			.orElse(new UserIdentifier(person.address(), IdentityKind.EVM_ADDRESS.wireName()));
	}

	/**
	 * The best identifier among identities (oldest first) when there is no person to
	 * name: a wallet, else an email, else an alias; empty if there is none.
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
