package bot.resonance.identity;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentitiesUnitTests {

	static final String BRAND = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed";

	final Identities identities = new Identities(new IdentityProperties("rsnc.network"));

	@Test
	void evmAddressesAreChecksummedPerEip55() {
		// The test vectors of EIP-55.
		for (String address : List.of("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
				"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
				"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")) {
			assertThat(this.identities.parse(BRAND, "evm_address", address).value()).isEqualTo(address);
			assertThat(this.identities.parse(BRAND, "evm_address", address.toLowerCase()).value()).isEqualTo(address);
			assertThat(this.identities.parse(BRAND, "evm_address", "0x" + address.substring(2).toUpperCase()).value())
				.isEqualTo(address);
		}
		// One character's case changed: the checksum catches it.
		assertThatThrownBy(
				() -> this.identities.parse(BRAND, "evm_address", "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"))
			.isInstanceOf(InvalidIdentityException.class)
			.hasMessageContaining("EIP-55");
		assertThatThrownBy(() -> this.identities.parse(BRAND, "evm_address", "0x123"))
			.isInstanceOf(InvalidIdentityException.class);
	}

	@Test
	void discordUserIdsAreUpToTwentyDigitsWithoutLeadingZeros() {
		assertThat(Identity.discord(BRAND, "123456789012345678").orElseThrow().value()).isEqualTo("123456789012345678");
		assertThat(Identity.discord(BRAND, "007").orElseThrow().value()).isEqualTo("7");
		assertThat(Identity.discord(BRAND, "000").orElseThrow().value()).isEqualTo("0");
		assertThat(Identity.discord(BRAND, "0").orElseThrow().value()).isEqualTo("0");
		assertThat(Identity.discord(BRAND, "10").orElseThrow().value()).isEqualTo("10");
		assertThat(Identity.discord(BRAND, "12345678901234567890")).isPresent();
		for (String bad : List.of("", "123456789012345678901", "12a", " 12", "-1", "１２", "1.0")) {
			assertThat(Identity.discord(BRAND, bad)).as(bad).isEmpty();
		}
	}

	@Test
	void solanaAndXrplAddressesAreChecked() {
		assertThat(
				this.identities.parse(BRAND, "solana_address", "So11111111111111111111111111111111111111112").value())
			.isEqualTo("So11111111111111111111111111111111111111112");
		assertThat(this.identities.parse(BRAND, "solana_address", "11111111111111111111111111111111").value())
			.isEqualTo("11111111111111111111111111111111");
		assertThatThrownBy(() -> this.identities.parse(BRAND, "solana_address", "0OIl"))
			.isInstanceOf(InvalidIdentityException.class);
		assertThatThrownBy(() -> this.identities.parse(BRAND, "solana_address", "So1111111111111111111111111111111"))
			.isInstanceOf(InvalidIdentityException.class);

		// The XRPL genesis account and account zero.
		assertThat(this.identities.parse(BRAND, "xrpl_address", "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh").value())
			.isEqualTo("rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh");
		assertThat(this.identities.parse(BRAND, "xrpl_address", "rrrrrrrrrrrrrrrrrrrrrhoLvTp").value())
			.isEqualTo("rrrrrrrrrrrrrrrrrrrrrhoLvTp");
		assertThatThrownBy(() -> this.identities.parse(BRAND, "xrpl_address", "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTi"))
			.isInstanceOf(InvalidIdentityException.class)
			.hasMessageContaining("checksum");
	}

	@Test
	void emailsAreTrimmedWithALowerCaseDomainAndAliasesResolveToThePlatform() {
		assertThat(this.identities.parse(BRAND, "email", "  Jane.Doe@Example.COM ").value())
			.isEqualTo("Jane.Doe@example.com");
		Identity discord = this.identities.parse(BRAND, "email", "discord_123456789012345678@RSNC.network");
		assertThat(discord.kind()).isEqualTo(IdentityKind.DISCORD);
		assertThat(discord.value()).isEqualTo("123456789012345678");
		assertThat(this.identities.parse(BRAND, "email", "telegram_42@rsnc.network").kind())
			.isEqualTo(IdentityKind.TELEGRAM);
		assertThat(this.identities.parse(BRAND, "email", "Twitter_7@rsnc.network"))
			.isEqualTo(new Identity(BRAND, IdentityKind.TWITTER, "7"));
		// The alias only counts on the alias domain.
		assertThat(this.identities.parse(BRAND, "email", "discord_1@example.com").kind()).isEqualTo(IdentityKind.EMAIL);
		for (String bad : List.of("", "no-at", "a@b", "a@@b.com", "a b@c.com", "x".repeat(65) + "@b.com")) {
			assertThatThrownBy(() -> this.identities.parse(BRAND, "email", bad)).as(bad)
				.isInstanceOf(InvalidIdentityException.class);
		}
	}

	@Test
	void referencesNameMembersByAnyIdentity() {
		assertThat(this.identities.reference(BRAND, "0123"))
			.isEqualTo(new Identity(BRAND, IdentityKind.DISCORD, "123"));
		assertThat(this.identities.reference(BRAND, "telegram:99"))
			.isEqualTo(new Identity(BRAND, IdentityKind.TELEGRAM, "99"));
		assertThat(this.identities.reference(BRAND, "jane@example.com").kind()).isEqualTo(IdentityKind.EMAIL);
		assertThat(this.identities.reference(BRAND, "discord_5@rsnc.network"))
			.isEqualTo(new Identity(BRAND, IdentityKind.DISCORD, "5"));
		assertThat(this.identities.reference(BRAND, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").value())
			.isEqualTo("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
		assertThat(this.identities.reference(BRAND, "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh").kind())
			.isEqualTo(IdentityKind.XRPL_ADDRESS);
		assertThat(this.identities.reference(BRAND, "So11111111111111111111111111111111111111112").kind())
			.isEqualTo(IdentityKind.SOLANA_ADDRESS);
		assertThatThrownBy(() -> this.identities.reference(BRAND, "nobody"))
			.isInstanceOf(InvalidIdentityException.class);
		assertThatThrownBy(() -> this.identities.parse(BRAND, "myspace", "1"))
			.isInstanceOf(InvalidIdentityException.class);
	}

}
