package bot.resonance.ledger;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import bot.resonance.platform.jobs.Jobs;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.MutableClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static bot.resonance.ledger.LedgerFixtures.assertInvariants;
import static bot.resonance.ledger.LedgerFixtures.brand;
import static bot.resonance.ledger.LedgerFixtures.newMember;
import static bot.resonance.ledger.LedgerFixtures.wallet;
import static org.assertj.core.api.Assertions.assertThat;

/** The ledger's work due later, run by the platform's jobs in the whole application. */
@IntegrationTest
class LedgerJobsIntegrationTests {

	@Autowired
	Ledger ledger;

	@Autowired
	Jobs jobs;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aRecurringJobVoidsExpiredPendingTransfersAndReleasesTheirReserve() {
		String brandId = brand(this.ledger, 100);
		AccountKey member = newMember(brandId);
		TransferOutcome outcome = this.ledger
			.transfer(TransferRequest.of(TransferCode.ESCROW, UUID.randomUUID().toString(), wallet(brandId), member, 40)
				.pendingUntil(this.clock.instant().plus(Duration.ofMinutes(5))));
		PostedTransfer expiring = ((TransferOutcome.Posted) outcome).transfer();
		TransferOutcome longer = this.ledger
			.transfer(TransferRequest.of(TransferCode.ESCROW, UUID.randomUUID().toString(), wallet(brandId), member, 10)
				.pendingUntil(this.clock.instant().plus(Duration.ofDays(30))));
		assertThat(this.ledger.accounts(List.of(wallet(brandId)))).containsEntry(wallet(brandId),
				new AccountBalance(100, 50, 0));

		this.clock.advance(Duration.ofHours(1));
		// Run now; the node's own job loop, which sees the same clock, may be running it
		// at the same moment, and then this finds nothing to do: either way it runs.
		Long voidedBy = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
			this.jobs.runDue("ledger-pending-expiry");
			return this.ledger.find(brandId, expiring.id()).orElseThrow().resolvedBy();
		}, Objects::nonNull);
		assertThat(this.ledger.find(brandId, voidedBy).orElseThrow().phase()).isEqualTo(TransferPhase.VOID_PENDING);
		long stillPending = ((TransferOutcome.Posted) longer).transfer().id();
		assertThat(this.ledger.find(brandId, stillPending).orElseThrow().resolvedBy()).isNull();
		assertThat(this.ledger.accounts(List.of(wallet(brandId)))).containsEntry(wallet(brandId),
				new AccountBalance(100, 10, 0));
		assertInvariants(this.jdbc, brandId);
	}

}
