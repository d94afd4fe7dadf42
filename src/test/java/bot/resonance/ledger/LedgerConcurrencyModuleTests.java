package bot.resonance.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import bot.resonance.support.MutableClock;
import bot.resonance.support.Race;
import bot.resonance.support.TestClockConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;

import static bot.resonance.ledger.LedgerFixtures.assertInvariants;
import static bot.resonance.ledger.LedgerFixtures.award;
import static bot.resonance.ledger.LedgerFixtures.brand;
import static bot.resonance.ledger.LedgerFixtures.newMember;
import static bot.resonance.ledger.LedgerFixtures.wallet;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads moving money on the same few accounts at once, each call in its own
 * transaction: the invariants hold throughout and after, every refusal is a value (no
 * exception, no deadlock), a pending transfer is resolved once, and the reversals of a
 * transfer never add up to more than it.
 */
@ApplicationModuleTest(extraIncludes = "platform")
@Import(TestClockConfiguration.class)
class LedgerConcurrencyModuleTests {

	private static final int THREADS = 8;

	@Autowired
	Ledger ledger;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MutableClock clock;

	@Test
	void moneyIsConservedAndNothingIsOverdrawnWhileTransfersPendingPostsAndVoidsRace() throws Exception {
		String brandId = brand(this.ledger, 2_000);
		List<AccountKey> accounts = new ArrayList<>(List.of(wallet(brandId)));
		for (int i = 0; i < 4; i++) {
			AccountKey member = newMember(brandId);
			award(this.ledger, member, 300);
			accounts.add(member);
		}
		List<Long> pendings = new CopyOnWriteArrayList<>();
		Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
		List<String> violations = new CopyOnWriteArrayList<>();
		AtomicBoolean racing = new AtomicBoolean(true);
		CountDownLatch go = new CountDownLatch(1);

		try (ExecutorService executor = Executors.newFixedThreadPool(THREADS + 1)) {
			// Watches the invariants while the others move money: every statement sees
			// one consistent state.
			Future<Integer> watcher = executor.submit(() -> {
				int looks = 0;
				while (racing.get() || looks == 0) {
					var state = this.jdbc.sql("""
							select coalesce(sum(balance), 0) as total,
							       coalesce(min(balance - debits_pending) filter (where not allow_negative), 0) as least
							from ledger_accounts where brand_id = :brand
							""")
						.param("brand", brandId)
						.query((rs, row) -> new long[] { rs.getLong("total"), rs.getLong("least") })
						.single();
					if (state[0] != 0 || state[1] < 0) {
						violations.add("sum " + state[0] + ", least available " + state[1]);
					}
					looks++;
				}
				return looks;
			});
			List<Future<?>> movers = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				Random random = new Random(31L * t + 7);
				movers.add(executor.submit(() -> {
					go.await();
					for (int op = 0; op < 60; op++) {
						TransferOutcome outcome = move(random, brandId, accounts, pendings);
						if (outcome != null) {
							outcomes.computeIfAbsent(outcome.getClass().getSimpleName(), (k) -> new AtomicLong())
								.incrementAndGet();
						}
					}
					return null;
				}));
			}
			go.countDown();
			try {
				for (Future<?> mover : movers) {
					mover.get(); // any exception (a deadlock, an overdraft) fails the
									// test
				}
			}
			finally {
				racing.set(false);
				movers.forEach((mover) -> mover.cancel(true));
			}
			assertThat(watcher.get()).isPositive();
		}

		assertThat(violations).isEmpty();
		assertInvariants(this.jdbc, brandId);
		// The race went through every kind of move and refusal.
		assertThat(outcomes).containsKeys("Posted", "InsufficientFunds", "AlreadyResolved");
		assertThat(LedgerFixtures.single(this.jdbc,
				"select count(*) from ledger_transfers where brand_id = :brand and phase = 'post_pending'", brandId))
			.isPositive();
		assertThat(LedgerFixtures.single(this.jdbc,
				"select count(*) from ledger_transfers where brand_id = :brand and phase = 'void_pending'", brandId))
			.isPositive();
	}

	private TransferOutcome move(Random random, String brandId, List<AccountKey> accounts, List<Long> pendings) {
		AccountKey debit = accounts.get(random.nextInt(accounts.size()));
		AccountKey credit = accounts.get(random.nextInt(accounts.size()));
		if (debit.equals(credit)) {
			credit = accounts.get((accounts.indexOf(debit) + 1) % accounts.size());
		}
		long amount = 1 + random.nextInt(250);
		int choice = random.nextInt(10);
		if (choice < 3) {
			return this.ledger
				.transfer(TransferRequest.of(TransferCode.ESCROW, UUID.randomUUID().toString(), debit, credit, amount));
		}
		if (choice < 4) {
			return this.ledger.transferUpTo(
					TransferRequest.of(TransferCode.ESCROW, UUID.randomUUID().toString(), debit, credit, amount));
		}
		if (choice < 6) {
			var expiry = random.nextBoolean() ? null : this.clock.instant().plusMillis(random.nextInt(200));
			TransferOutcome outcome = this.ledger
				.transfer(TransferRequest.of(TransferCode.ESCROW, UUID.randomUUID().toString(), debit, credit, amount)
					.pendingUntil(expiry));
			if (outcome instanceof TransferOutcome.Posted posted) {
				pendings.add(posted.transfer().id());
			}
			return outcome;
		}
		if (pendings.isEmpty()) {
			return null;
		}
		long pending = pendings.get(random.nextInt(pendings.size()));
		return switch (choice) {
			case 6 -> this.ledger.postPending(brandId, pending);
			case 7 -> this.ledger.postPending(brandId, pending, 1 + random.nextInt(50));
			case 8 -> this.ledger.voidPending(brandId, pending);
			default -> {
				this.ledger.voidExpired(this.clock.instant(), 5);
				yield null;
			}
		};
	}

	@Test
	void aPendingTransferIsResolvedOnceHoweverManyRaceToResolveIt() {
		String brandId = brand(this.ledger, 1_000);
		AccountKey member = newMember(brandId);
		for (int round = 0; round < 5; round++) {
			TransferOutcome created = this.ledger.transfer(
					TransferRequest.of(TransferCode.ESCROW, UUID.randomUUID().toString(), wallet(brandId), member, 100)
						.pendingUntil(null));
			long pending = ((TransferOutcome.Posted) created).transfer().id();

			List<TransferOutcome> outcomes = Race.run(THREADS, (i) -> switch (i % 3) {
				case 0 -> this.ledger.postPending(brandId, pending);
				case 1 -> this.ledger.postPending(brandId, pending, 60);
				default -> this.ledger.voidPending(brandId, pending);
			});

			assertThat(outcomes).filteredOn(TransferOutcome.Posted.class::isInstance).hasSize(1);
			assertThat(outcomes).filteredOn(TransferOutcome.AlreadyResolved.class::isInstance).hasSize(THREADS - 1);
		}
		assertInvariants(this.jdbc, brandId);
	}

	@Test
	void theReversalsOfATransferNeverAddUpToMoreThanItUnderARace() {
		String brandId = brand(this.ledger, 10_000);
		AccountKey member = newMember(brandId);
		PostedTransfer exact = award(this.ledger, member, 100);
		PostedTransfer upTo = award(this.ledger, member, 100);
		award(this.ledger, member, 5_000);

		List<TransferOutcome> outcomes = Race.run(10,
				(i) -> this.ledger.transfer(TransferRequest
					.of(TransferCode.REWARD_REVERSAL, "rev_" + UUID.randomUUID(), member, wallet(brandId), 15)
					.reversing(exact.id())));
		assertThat(outcomes).filteredOn(TransferOutcome.Posted.class::isInstance).hasSize(6);
		assertThat(outcomes).filteredOn(TransferOutcome.ReversalExceeded.class::isInstance).hasSize(4);
		assertThat(this.ledger.find(brandId, exact.id()).orElseThrow().reversed()).isEqualTo(90);

		List<TransferOutcome> upToOutcomes = Race.run(10,
				(i) -> this.ledger.transferUpTo(TransferRequest
					.of(TransferCode.REWARD_REVERSAL, "rev_" + UUID.randomUUID(), member, wallet(brandId), 15)
					.reversing(upTo.id())));
		assertThat(upToOutcomes).filteredOn(TransferOutcome.Posted.class::isInstance).hasSize(7);
		assertThat(this.ledger.find(brandId, upTo.id()).orElseThrow().reversed()).isEqualTo(100);
		assertInvariants(this.jdbc, brandId);
	}

	@Test
	void voidingExpiredTransfersRacingPostsResolvesEachOnce() {
		String brandId = brand(this.ledger, 10_000);
		AccountKey member = newMember(brandId);
		List<Long> pendings = new ArrayList<>();
		var expiry = this.clock.instant().plus(Duration.ofMinutes(5));
		for (int i = 0; i < 40; i++) {
			TransferOutcome created = this.ledger.transfer(TransferRequest
				.of(TransferCode.ESCROW, UUID.randomUUID().toString(), wallet(brandId), member, 10 + i)
				.pendingUntil(expiry));
			pendings.add(((TransferOutcome.Posted) created).transfer().id());
		}
		this.clock.advance(Duration.ofMinutes(10));

		Race.run(THREADS, (i) -> {
			int voided = 0;
			if (i % 2 == 0) {
				int round;
				do {
					round = this.ledger.voidExpired(this.clock.instant(), 3);
					voided += round;
				}
				while (round > 0);
			}
			else {
				for (long pending : pendings) {
					this.ledger.voidPending(brandId, pending);
				}
			}
			return voided;
		});

		assertThat(LedgerFixtures.single(this.jdbc, """
				select count(*) from ledger_transfers where brand_id = :brand and phase = 'void_pending'
				""", brandId)).isEqualTo(40);
		assertThat(this.ledger.accounts(List.of(wallet(brandId)))).containsEntry(wallet(brandId),
				new AccountBalance(10_000, 0, 0));
		assertInvariants(this.jdbc, brandId);
	}

}
