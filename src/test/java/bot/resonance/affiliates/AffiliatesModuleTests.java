package bot.resonance.affiliates;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import bot.resonance.identity.Identity;
import bot.resonance.identity.Member;
import bot.resonance.identity.MemberStatus;
import bot.resonance.identity.Members;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.CurrencyKind;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.TransferCode;
import bot.resonance.ledger.TransferRequest;
import bot.resonance.rewards.RewardMovement;
import bot.resonance.rewards.RewardsRecorded;
import bot.resonance.support.TestClockConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.Scenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The affiliates module follows the rewards it hears of: a reward of a type with an
 * affiliate amount pays the member's referrer from the same wallet, in the reward's
 * transaction, and says so.
 */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES)
@Import(TestClockConfiguration.class)
class AffiliatesModuleTests {

	private static final AtomicLong IDS = new AtomicLong(910_000_000_000_000_000L);

	@Autowired
	Members members;

	@Autowired
	Referrals referrals;

	@Autowired
	Ledger ledger;

	@Test
	void aRewardPaysTheReferrer(Scenario scenario) {
		String brand = "0x" + Long.toHexString(IDS.incrementAndGet()).repeat(3).substring(0, 40);
		this.ledger.defineCurrency(new Currency(brand, "POINT", CurrencyKind.POINT, 0));
		this.ledger.transfer(TransferRequest.of(TransferCode.FUNDING, "fund", AccountKey.issuance(brand, "POINT"),
				AccountKey.wallet(brand, "POINT"), 1_000));
		Identity referred = Identity.discord(brand, Long.toString(IDS.incrementAndGet())).orElseThrow();
		Identity referrer = Identity.discord(brand, Long.toString(IDS.incrementAndGet())).orElseThrow();
		Member member = this.referrals.setReferrer(referred, new Referrals.Referrer.ByIdentity(referrer));
		Member referring = this.members.setStatus(referrer, MemberStatus.ACTIVE);

		RewardMovement reward = new RewardMovement(brand, "evt_module_test", member.id(), referred.value(), null,
				"place_order", RewardMovement.Status.ACCEPTED, null, 100, "POINT", 100, Instant.now(),
				RewardMovement.END_USER_PAYOUT, 25L, null);
		scenario.publish(new RewardsRecorded(List.of(reward)))
			.andWaitForEventOfType(AffiliatePayoutsRecorded.class)
			.toArriveAndVerify((paid) -> {
				assertThat(paid.movements()).singleElement().satisfies((payout) -> {
					assertThat(payout.memberId()).isEqualTo(referring.id());
					assertThat(payout.reason()).isEqualTo(RewardMovement.AFFILIATE_PAYOUT);
					assertThat(payout.status()).isEqualTo(RewardMovement.Status.ACCEPTED);
					assertThat(payout.amount()).isEqualTo(25);
				});
				assertThat(this.ledger.balance(AccountKey.member(brand, "POINT", referring.id()))).isEqualTo(25);
				assertThat(this.ledger.balance(AccountKey.wallet(brand, "POINT"))).isEqualTo(975);
			});
	}

}
