package bot.resonance.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import bot.resonance.support.MutableClock;
import bot.resonance.support.TestClockConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;

import static bot.resonance.ledger.LedgerFixtures.CURRENCY;
import static bot.resonance.ledger.LedgerFixtures.assertInvariants;
import static bot.resonance.ledger.LedgerFixtures.brand;
import static bot.resonance.ledger.LedgerFixtures.newMember;
import static bot.resonance.ledger.LedgerFixtures.wallet;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of everything the ledger does — transfers, transfers up to what can be
 * paid, pending transfers with and without expiry, full and partial posts, voids,
 * reversals, time passing and expired transfers voided — checked call by call against a
 * model of a few lines: every outcome is the one the model predicts (posted, or the
 * refusal it names, with the figures it names), and every balance, pending debit and
 * pending credit is the model's after every call. A failure names the seed and the call.
 */
@ApplicationModuleTest(extraIncludes = "platform")
@Import(TestClockConfiguration.class)
class LedgerModelModuleTests {

	@Autowired
	Ledger ledger;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MutableClock clock;

	@ParameterizedTest
	@ValueSource(longs = { 1, 2, 3, 4, 5, 6, 7, 8 })
	void everyOutcomeAndBalanceIsTheModels(long seed) {
		// Time moves only when the model says so, so that expiry is decided alike.
		this.clock.freeze();
		Random random = new Random(seed);
		String brandId = brand(this.ledger, 1_000);
		Model model = new Model();
		AccountKey issuance = AccountKey.issuance(brandId, CURRENCY);
		model.accounts.put(issuance, new long[] { -1_000, 0, 0 });
		model.accounts.put(wallet(brandId), new long[] { 1_000, 0, 0 });
		List<AccountKey> accounts = new ArrayList<>(List.of(issuance, wallet(brandId)));
		for (int i = 0; i < 3; i++) {
			accounts.add(newMember(brandId));
		}

		for (int step = 0; step < 150; step++) {
			String call = "seed " + seed + ", call " + step;
			AccountKey debit = accounts.get(random.nextInt(accounts.size()));
			AccountKey credit = accounts.get(random.nextInt(accounts.size()));
			if (debit.equals(credit)) {
				credit = accounts
					.get((accounts.indexOf(debit) + 1 + random.nextInt(accounts.size() - 1)) % accounts.size());
			}
			long amount = 1 + random.nextInt(300);
			int choice = random.nextInt(12);
			if (choice <= 2 || choice == 3) {
				boolean upTo = choice == 3;
				TransferRequest request = TransferRequest.of(TransferCode.ESCROW, UUID.randomUUID().toString(), debit,
						credit, amount);
				TransferOutcome outcome = upTo ? this.ledger.transferUpTo(request) : this.ledger.transfer(request);
				TALLY.merge("transfer " + outcome.getClass().getSimpleName(), 1, Integer::sum);
				long can = model.available(debit);
				long moved = upTo ? Math.min(amount, can) : amount;
				if (moved <= 0 || moved > can) {
					assertThat(outcome).as(call).isEqualTo(new TransferOutcome.InsufficientFunds(Math.max(0, can)));
				}
				else {
					assertPosted(call, outcome, TransferPhase.POSTED, moved);
					model.post(debit, credit, moved);
					model.reversible.put(id(outcome), new Reversible(debit, credit, moved));
				}
			}
			else if (choice <= 5) {
				Instant expiresAt = random.nextBoolean() ? null
						: this.clock.instant().plus(Duration.ofSeconds(1 + random.nextInt(300)));
				TransferOutcome outcome = this.ledger.transfer(
						TransferRequest.of(TransferCode.ESCROW, UUID.randomUUID().toString(), debit, credit, amount)
							.pendingUntil(expiresAt));
				TALLY.merge("pending " + outcome.getClass().getSimpleName(), 1, Integer::sum);
				if (amount > model.available(debit)) {
					assertThat(outcome).as(call)
						.isEqualTo(new TransferOutcome.InsufficientFunds(Math.max(0, model.available(debit))));
				}
				else {
					assertPosted(call, outcome, TransferPhase.PENDING, amount);
					model.reserve(debit, credit, amount);
					model.pending.put(id(outcome), new Pending(debit, credit, amount, expiresAt));
				}
			}
			else if (choice <= 8 && !model.pending.isEmpty()) {
				// Mostly open ones; now and then one resolved before.
				List<Long> ids = new ArrayList<>(model.pending.keySet());
				List<Long> open = ids.stream().filter((id) -> model.pending.get(id).resolvedAs == null).toList();
				if (!open.isEmpty() && random.nextInt(5) > 0) {
					ids = open;
				}
				long pendingId = ids.get(random.nextInt(ids.size()));
				Pending pending = model.pending.get(pendingId);
				Long part = (choice == 7) ? Long.valueOf(1 + random.nextInt((int) pending.amount * 5 / 4 + 1)) : null;
				TransferOutcome outcome = (choice == 8) ? this.ledger.voidPending(brandId, pendingId)
						: (part != null) ? this.ledger.postPending(brandId, pendingId, part)
								: this.ledger.postPending(brandId, pendingId);
				TALLY.merge("resolve " + outcome.getClass().getSimpleName(), 1, Integer::sum);
				if (pending.resolvedAs != null) {
					assertThat(outcome).as(call)
						.isInstanceOfSatisfying(TransferOutcome.AlreadyResolved.class,
								(resolved) -> assertThat(resolved.phase()).isEqualTo(pending.resolvedAs));
				}
				else if (choice != 8 && pending.expiresAt != null
						&& !this.clock.instant().isBefore(pending.expiresAt)) {
					assertThat(outcome).as(call).isEqualTo(new TransferOutcome.Expired(pending.expiresAt));
				}
				else if (part != null && part > pending.amount) {
					assertThat(outcome).as(call).isEqualTo(new TransferOutcome.ExceedsPending(pending.amount));
				}
				else if (choice == 8) {
					assertPosted(call, outcome, TransferPhase.VOID_PENDING, pending.amount);
					model.release(pending);
					pending.resolvedAs = TransferPhase.VOID_PENDING;
				}
				else {
					long posted = (part != null) ? part : pending.amount;
					assertPosted(call, outcome, TransferPhase.POST_PENDING, posted);
					model.release(pending);
					model.post(pending.debit, pending.credit, posted);
					model.reversible.put(id(outcome), new Reversible(pending.debit, pending.credit, posted));
					pending.resolvedAs = TransferPhase.POST_PENDING;
				}
			}
			else if (choice <= 10 && !model.reversible.isEmpty()) {
				List<Long> ids = new ArrayList<>(model.reversible.keySet());
				long reversedId = ids.get(random.nextInt(ids.size()));
				Reversible reversed = model.reversible.get(reversedId);
				long taken = 1 + random.nextInt((int) reversed.amount + 10);
				boolean upTo = choice == 10;
				TransferRequest request = TransferRequest
					.of(TransferCode.REWARD_REVERSAL, UUID.randomUUID().toString(), reversed.credit, reversed.debit,
							taken)
					.reversing(reversedId);
				TransferOutcome outcome = upTo ? this.ledger.transferUpTo(request) : this.ledger.transfer(request);
				TALLY.merge("reverse " + outcome.getClass().getSimpleName(), 1, Integer::sum);
				long left = reversed.amount - reversed.reversed;
				long can = model.available(reversed.credit);
				long moved = upTo ? Math.min(taken, Math.min(left, can)) : taken;
				if ((upTo && left <= 0) || (!upTo && taken > left)) {
					assertThat(outcome).as(call).isEqualTo(new TransferOutcome.ReversalExceeded(left));
				}
				else if (moved <= 0 || moved > can) {
					assertThat(outcome).as(call).isEqualTo(new TransferOutcome.InsufficientFunds(Math.max(0, can)));
				}
				else {
					assertPosted(call, outcome, TransferPhase.POSTED, moved);
					model.post(reversed.credit, reversed.debit, moved);
					reversed.reversed += moved;
				}
			}
			else {
				this.clock.advance(Duration.ofSeconds(random.nextInt(200)));
				Instant now = this.clock.instant();
				// Now and then expired ones stay until voided: posting them is refused
				// meanwhile.
				if (random.nextBoolean()) {
					this.ledger.voidExpired(now, 1_000);
					model.pending.values()
						.stream()
						.filter((p) -> p.resolvedAs == null && p.expiresAt != null && !now.isBefore(p.expiresAt))
						.forEach((p) -> {
							model.release(p);
							p.resolvedAs = TransferPhase.VOID_PENDING;
							TALLY.merge("voidExpired", 1, Integer::sum);
						});
				}
			}

			Map<AccountKey, AccountBalance> actual = this.ledger.accounts(accounts);
			for (AccountKey account : accounts) {
				long[] expected = model.accounts.getOrDefault(account, new long[3]);
				assertThat(actual.getOrDefault(account, AccountBalance.ZERO)).as(call + ": " + account)
					.isEqualTo(new AccountBalance(expected[0], expected[1], expected[2]));
			}
		}
		assertInvariants(this.jdbc, brandId);
	}

	@AfterEach
	void letTimeFlow() {
		this.clock.resume();
	}

	/**
	 * The sequences went through every outcome the model predicts, not only the easy
	 * ones.
	 */
	@AfterAll
	static void everyOutcomeCameUp() {
		assertThat(TALLY).containsKeys("transfer Posted", "transfer InsufficientFunds", "pending Posted",
				"pending InsufficientFunds", "resolve Posted", "resolve AlreadyResolved", "resolve Expired",
				"resolve ExceedsPending", "reverse Posted", "reverse ReversalExceeded", "reverse InsufficientFunds",
				"voidExpired");
	}

	private static final Map<String, Integer> TALLY = new ConcurrentHashMap<>();

	private static void assertPosted(String call, TransferOutcome outcome, TransferPhase phase, long amount) {
		assertThat(outcome).as(call).isInstanceOfSatisfying(TransferOutcome.Posted.class, (posted) -> {
			assertThat(posted.transfer().phase()).as(call).isEqualTo(phase);
			assertThat(posted.transfer().amount()).as(call).isEqualTo(amount);
		});
	}

	private static long id(TransferOutcome outcome) {
		return ((TransferOutcome.Posted) outcome).transfer().id();
	}

	/**
	 * Balances, pending debits and pending credits per account, as the ledger should hold
	 * them.
	 */
	private static final class Model {

		final Map<AccountKey, long[]> accounts = new HashMap<>();

		final Map<Long, Pending> pending = new LinkedHashMap<>();

		final Map<Long, Reversible> reversible = new LinkedHashMap<>();

		long available(AccountKey account) {
			if (account.kind() == AccountKind.ISSUANCE) {
				return Long.MAX_VALUE;
			}
			long[] balances = this.accounts.getOrDefault(account, new long[3]);
			return balances[0] - balances[1];
		}

		void post(AccountKey debit, AccountKey credit, long amount) {
			this.accounts.computeIfAbsent(debit, (k) -> new long[3])[0] -= amount;
			this.accounts.computeIfAbsent(credit, (k) -> new long[3])[0] += amount;
		}

		void reserve(AccountKey debit, AccountKey credit, long amount) {
			this.accounts.computeIfAbsent(debit, (k) -> new long[3])[1] += amount;
			this.accounts.computeIfAbsent(credit, (k) -> new long[3])[2] += amount;
		}

		void release(Pending pending) {
			this.accounts.get(pending.debit)[1] -= pending.amount;
			this.accounts.get(pending.credit)[2] -= pending.amount;
		}

	}

	private static final class Pending {

		final AccountKey debit;

		final AccountKey credit;

		final long amount;

		final @Nullable Instant expiresAt;

		@Nullable TransferPhase resolvedAs;

		Pending(AccountKey debit, AccountKey credit, long amount, @Nullable Instant expiresAt) {
			this.debit = debit;
			this.credit = credit;
			this.amount = amount;
			this.expiresAt = expiresAt;
		}

	}

	private static final class Reversible {

		final AccountKey debit;

		final AccountKey credit;

		final long amount;

		long reversed;

		Reversible(AccountKey debit, AccountKey credit, long amount) {
			this.debit = debit;
			this.credit = credit;
			this.amount = amount;
		}

	}

}
