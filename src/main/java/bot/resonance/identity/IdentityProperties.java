package bot.resonance.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the identity module.
 *
 * @param aliasDomain the domain of the deterministic email aliases of platform identities
 * ({@code discord_{id}@<alias-domain>}), as brands' systems know them
 */
@ConfigurationProperties("resonance.identity")
public record IdentityProperties(@DefaultValue("rsnc.network") String aliasDomain) {

	/** The email alias of an identity: {@code discord_123@rsnc.network}. */
	public String emailAlias(IdentityKind kind, String value) {
		return kind.wireName() + "_" + value + "@" + this.aliasDomain;
	}

}
