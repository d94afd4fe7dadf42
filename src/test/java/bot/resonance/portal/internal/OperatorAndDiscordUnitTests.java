package bot.resonance.portal.internal;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The small rules of the operator console's funding form and of Discord's sign-in. */
class OperatorAndDiscordUnitTests {

	@Test
	void fundingAmountsAreWholeUnitsWithAtMostTheCurrencysDecimals() {
		assertThat(OperatorPages.smallestUnits("12.50", 2)).isEqualTo(1250L);
		assertThat(OperatorPages.smallestUnits(" 7 ", 0)).isEqualTo(7L);
		assertThat(OperatorPages.smallestUnits("1.10", 1)).isEqualTo(11L);
		assertThat(OperatorPages.smallestUnits("1.5", 0)).isNull();
		assertThat(OperatorPages.smallestUnits("0", 0)).isNull();
		assertThat(OperatorPages.smallestUnits("-1", 0)).isNull();
		assertThat(OperatorPages.smallestUnits("1e3", 0)).isNull();
		assertThat(OperatorPages.smallestUnits("9223372036854775807", 0)).isEqualTo(Long.MAX_VALUE);
		assertThat(OperatorPages.smallestUnits("9223372036854775807", 1)).isNull();
		assertThat(OperatorPages.smallestUnits(null, 2)).isNull();
	}

	@Test
	void thePkceChallengeIsRfc7636sS256() {
		// RFC 7636, appendix B.
		assertThat(DiscordOAuth.codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
			.isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	}

	@Test
	void ownersAdministratorsAndManageServerHoldersManageAServer() {
		assertThat(guild(false, 0x20).managed()).isTrue();
		assertThat(guild(false, 0x8).managed()).isTrue();
		assertThat(guild(true, 0).managed()).isTrue();
		assertThat(guild(false, 0xC00 | 0x10 | 0x40).managed()).isFalse();
		assertThat(new DiscordOAuth.Guild("1", "big", false, BigInteger.ONE.shiftLeft(60)).managed()).isFalse();
	}

	private static DiscordOAuth.Guild guild(boolean owner, long permissions) {
		return new DiscordOAuth.Guild("1", "server", owner, BigInteger.valueOf(permissions));
	}

}
