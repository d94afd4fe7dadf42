package bot.resonance.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import bot.resonance.identity.Member;
import bot.resonance.identity.MemberStatus;
import bot.resonance.identity.MembersMerged;
import bot.resonance.ledger.internal.KnownAccounts;
import bot.resonance.support.MutableClock;
import bot.resonance.support.TestClockConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.Scenario;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

import static bot.resonance.ledger.LedgerFixtures.CURRENCY;
import static bot.resonance.ledger.LedgerFixtures.assertInvariants;
import static bot.resonance.ledger.LedgerFixtures.award;
import static bot.resonance.ledger.LedgerFixtures.brand;
import static bot.resonance.ledger.LedgerFixtures.newMember;
import static bot.resonance.ledger.LedgerFixtures.wallet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ledger on its own ({@code @ApplicationModuleTest}: the ledger module's beans and
 * the platform's, on the embedded PostgreSQL): codes and keys, reversals, pending
 * transfers and their expiry, merges, and {@link TransfersPosted}.
 */
@ApplicationModuleTest(extraIncludes = "platform")
@Import({ TestClockConfiguration.class, LedgerModuleTests.Listeners.class })
class LedgerModuleTests {

	@Autowired
	Ledger ledger;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	MutableClock clock;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	Listeners listeners;

	@Autowired
	KnownAccounts knownAccounts;

	@Autowired
	DataSource dataSource;

	/**
	 * History is never edited or removed, by Resonance or by anyone with SQL access short
	 * of dropping the trigger: a correction is a new transfer.
	 */
	@Test
	void transfersCanNeitherBeChangedNorDeleted() {
		String brandId = brand(this.ledger, 1_000);
		PostedTransfer award = award(this.ledger, newMember(brandId), 10);
		for (String statement : List.of(
				"update ledger_transfers set amount = amount + 1 where brand_id = :brand and id = :id",
				"delete from ledger_transfers where brand_id = :brand and id = :id")) {
			assertThatThrownBy(() -> this.transactions.executeWithoutResult(
					(status) -> this.jdbc.sql(statement).param("brand", brandId).param("id", award.id()).update()))
				.as(statement)
				.hasMessageContaining("ledger_transfers is append-only");
		}
		assertThat(this.jdbc.sql("select amount from ledger_transfers where brand_id = :brand and id = :id")
			.param("brand", brandId)
			.param("id", award.id())
			.query(Long.class)
			.single()).isEqualTo(10);
	}

	@Test
	void transfersAreStoredUnderTheirCodeWithKeysDerivedFromIt() {
		String brandId = brand(this.ledger, 1_000);
		AccountKey member = newMember(brandId);
		PostedTransfer award = award(this.ledger, member, 10);

		var stored = this.jdbc.sql("select kind, idempotency_key, phase from ledger_transfers where id = :id")
			.param("id", award.id())
			.query((rs, row) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
			.single();
		assertThat(stored).containsExactly("award", "award:" + award.reference(), "posted");
		assertThat(this.ledger.find(brandId, TransferCode.AWARD, award.reference()))
			.hasValueSatisfying((transfer) -> assertThat(transfer.id()).isEqualTo(award.id()));

		// The same code and key again moves nothing; another code may use the same key.
		assertThat(this.ledger
			.transfer(TransferRequest.of(TransferCode.AWARD, award.reference(), wallet(brandId), member, 10)))
			.isEqualTo(new TransferOutcome.AlreadyPosted(award.id(), 10));
		assertThat(this.ledger.transfer(
				TransferRequest.of(TransferCode.AFFILIATE_PAYOUT, award.reference(), wallet(brandId), member, 10)))
			.isInstanceOf(TransferOutcome.Posted.class);
		assertThat(this.ledger.balance(member)).isEqualTo(20);
	}

	@Test
	void aBrandsCurrenciesAreReadOnceAndADefinitionIsSeenAtOnce() {
		// Rows written behind the ledger's back (a definition would also forget the copy
		// when its notice comes back, at some moment after its commit).
		String brandId = "ledger-" + UUID.randomUUID();
		insertCurrency(brandId, CURRENCY);
		assertThat(this.ledger.currencies(brandId)).extracting(Currency::code).containsExactly(CURRENCY);
		// The list is kept: a currency added behind the ledger's back is not in it...
		insertCurrency(brandId, "GEM");
		assertThat(this.ledger.currencies(brandId)).extracting(Currency::code).containsExactly(CURRENCY);
		// ...but a code it does not hold is looked up,
		assertThat(this.ledger.currency(brandId, "GEM")).hasValue(new Currency(brandId, "GEM", CurrencyKind.POINT, 0));
		assertThat(this.ledger.currency(brandId, "NONE")).isEmpty();
		// and defining a currency forgets the list (on every node, once the definition
		// commits).
		this.ledger.defineCurrency(new Currency(brandId, "STAR", CurrencyKind.POINT, 2));
		assertThat(this.ledger.currencies(brandId)).extracting(Currency::code).containsExactly("GEM", CURRENCY, "STAR");
		assertThat(this.ledger.currency(brandId, "STAR"))
			.hasValue(new Currency(brandId, "STAR", CurrencyKind.POINT, 2));
	}

	@Test
	void anOnchainCurrencyKeepsItsTokenAddressAndChain() {
		String brandId = "ledger-" + UUID.randomUUID();
		Currency usdc = new Currency(brandId, "USDC", CurrencyKind.ONCHAIN_CURRENCY, 6,
				"0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "eip155:8453");
		this.ledger.defineCurrency(usdc);
		this.ledger.defineCurrency(new Currency(brandId, "POINT", CurrencyKind.POINT, 0));
		assertThat(this.ledger.currency(brandId, "USDC")).hasValue(usdc);
		assertThat(this.ledger.currencies(brandId))
			.containsExactly(new Currency(brandId, "POINT", CurrencyKind.POINT, 0), usdc);
		assertThat(this.ledger.currency(brandId, "POINT")).hasValueSatisfying((point) -> {
			assertThat(point.address()).isNull();
			assertThat(point.chainId()).isNull();
		});
	}

	@Test
	void theDatabaseKeepsTokenDetailsToOnchainCurrenciesInTheirFormats() {
		String brandId = "ledger-" + UUID.randomUUID();
		// Only an on-chain currency has a token.
		assertThatThrownBy(() -> this.ledger.defineCurrency(
				new Currency(brandId, "PTS", CurrencyKind.POINT, 0, "So11111111111111111111111111111111", null)))
			.isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining("ledger_currencies_onchain_details_only_onchain");
		assertThatThrownBy(
				() -> this.ledger.defineCurrency(new Currency(brandId, "AIR", CurrencyKind.AIRDROP, 0, null, "1")))
			.isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining("ledger_currencies_onchain_details_only_onchain");
		assertThatThrownBy(() -> this.ledger
			.defineCurrency(new Currency(brandId, "TOK", CurrencyKind.ONCHAIN_CURRENCY, 0, "0x12-34", null)))
			.isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining("ledger_currencies_address_format");
		assertThatThrownBy(() -> this.ledger
			.defineCurrency(new Currency(brandId, "TOK", CurrencyKind.ONCHAIN_CURRENCY, 0, "a".repeat(129), null)))
			.isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining("ledger_currencies_address_format");
		assertThatThrownBy(() -> this.ledger
			.defineCurrency(new Currency(brandId, "TOK", CurrencyKind.ONCHAIN_CURRENCY, 0, null, "base mainnet")))
			.isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining("ledger_currencies_chain_id_format");
		assertThatThrownBy(() -> this.ledger
			.defineCurrency(new Currency(brandId, "TOK", CurrencyKind.ONCHAIN_CURRENCY, 0, null, "")))
			.isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining("ledger_currencies_chain_id_format");
		assertThat(this.ledger.currencies(brandId)).isEmpty();
	}

	private void insertCurrency(String brandId, String code) {
		this.jdbc.sql("""
				insert into ledger_currencies (brand_id, code, kind, decimals, created_at)
				values (:brand, :code, 'point', 0, now())
				""").param("brand", brandId).param("code", code).update();
	}

	@Test
	void keysWrittenBeforeCodesExistedStillCollide() {
		String brandId = brand(this.ledger, 1_000);
		AccountKey member = newMember(brandId);
		award(this.ledger, member, 1);
		// A transfer as the ledger wrote them before codes: free-text kind and key.
		this.jdbc.sql("""
				insert into ledger_transfers (brand_id, idempotency_key, currency, debit_account_id, credit_account_id,
				                              amount, kind, reference, created_at)
				select :brand, 'affiliate:evt_old', :currency, w.id, m.id, 5, 'affiliate', 'affiliate:evt_old', now()
				from ledger_accounts w, ledger_accounts m
				where w.brand_id = :brand and w.kind = 'brand_wallet' and m.brand_id = :brand and m.kind = 'member'
				""").param("brand", brandId).param("currency", CURRENCY).update();

		assertThat(this.ledger
			.transfer(TransferRequest.of(TransferCode.AFFILIATE_PAYOUT, "evt_old", wallet(brandId), member, 5)))
			.isInstanceOf(TransferOutcome.AlreadyPosted.class);
		assertThat(this.ledger.find(brandId, TransferCode.AFFILIATE_PAYOUT, "evt_old"))
			.hasValueSatisfying((transfer) -> assertThat(transfer.code()).isEqualTo(TransferCode.AFFILIATE_PAYOUT));
	}

	@Test
	void reversalsTakeBackNoMoreThanTheOriginal() {
		String brandId = brand(this.ledger, 1_000);
		AccountKey member = newMember(brandId);
		PostedTransfer award = award(this.ledger, member, 100);
		award(this.ledger, member, 500);

		assertThat(reverse(member, award.id(), 60, false)).isInstanceOf(TransferOutcome.Posted.class);
		assertThat(reverse(member, award.id(), 50, false)).isEqualTo(new TransferOutcome.ReversalExceeded(40));
		TransferOutcome rest = reverse(member, award.id(), 50, true);
		assertThat(rest).isInstanceOfSatisfying(TransferOutcome.Posted.class, (posted) -> {
			assertThat(posted.transfer().amount()).isEqualTo(40);
			assertThat(posted.transfer().reverses()).isEqualTo(award.id());
		});
		assertThat(reverse(member, award.id(), 1, true)).isEqualTo(new TransferOutcome.ReversalExceeded(0));

		assertThat(this.ledger.find(brandId, award.id())).hasValueSatisfying((transfer) -> {
			assertThat(transfer.reversed()).isEqualTo(100);
			assertThat(transfer.reverses()).isNull();
		});
		assertThat(this.ledger.balance(member)).isEqualTo(500);
		assertInvariants(this.jdbc, brandId);
	}

	@Test
	void aReversalUndoesTheTransferItNames() {
		String brandId = brand(this.ledger, 1_000);
		AccountKey member = newMember(brandId);
		AccountKey other = newMember(brandId);
		PostedTransfer award = award(this.ledger, member, 100);
		award(this.ledger, other, 100);

		// Taken back from someone else, or paid back somewhere else: not a reversal of
		// it.
		assertThat(reverse(other, award.id(), 10, false)).isInstanceOf(TransferOutcome.NotReversible.class);
		assertThat(this.ledger
			.transfer(TransferRequest.of(TransferCode.REWARD_REVERSAL, UUID.randomUUID().toString(), member, other, 10)
				.reversing(award.id())))
			.isInstanceOf(TransferOutcome.NotReversible.class);
		assertThat(reverse(member, 999_999_999L, 10, false)).isInstanceOf(TransferOutcome.NotReversible.class);
		// Nor can a transfer of another brand be named.
		String otherBrand = brand(this.ledger, 1_000);
		assertThat(reverse(newMember(otherBrand), award.id(), 10, false))
			.isInstanceOf(TransferOutcome.NotReversible.class);
	}

	@Test
	void theDatabaseRefusesReversalsBeyondTheOriginalWhateverTheCode() {
		String brandId = brand(this.ledger, 1_000);
		AccountKey member = newMember(brandId);
		PostedTransfer award = award(this.ledger, member, 100);
		award(this.ledger, member, 500);

		// post() leaves the checks to its caller; the database still holds the line.
		assertThatThrownBy(() -> this.transactions.executeWithoutResult((tx) -> this.ledger.post(List.of(
				TransferRequest.of(TransferCode.REWARD_REVERSAL, "r1", member, wallet(brandId), 70)
					.reversing(award.id()),
				TransferRequest.of(TransferCode.REWARD_REVERSAL, "r2", member, wallet(brandId), 70)
					.reversing(award.id())))))
			.isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining("ledger_transfers_reversal_within_original");
		assertThatThrownBy(() -> this.transactions.executeWithoutResult((tx) -> this.ledger
			.post(List.of(TransferRequest.of(TransferCode.REWARD_REVERSAL, "r3", member, newMember(brandId), 10)
				.reversing(award.id())))))
			.isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining("ledger_transfers_reversal_swapped");
		assertThat(this.ledger.balance(member)).isEqualTo(600);
	}

	@Test
	void aPendingTransferReservesUntilPostedInPart() {
		String brandId = brand(this.ledger, 100);
		AccountKey member = newMember(brandId);
		PostedTransfer pending = pending(wallet(brandId), member, 70, null);
		assertThat(pending.phase()).isEqualTo(TransferPhase.PENDING);
		assertThat(pending.debitAfter()).isEqualTo(new AccountBalance(100, 70, 0));
		assertThat(pending.creditAfter()).isEqualTo(new AccountBalance(0, 0, 70));

		// What is reserved cannot be paid again.
		assertThat(this.ledger
			.transfer(TransferRequest.of(TransferCode.AWARD, "evt_1", wallet(brandId), newMember(brandId), 40)))
			.isEqualTo(new TransferOutcome.InsufficientFunds(30));

		TransferOutcome posted = this.ledger.postPending(brandId, pending.id(), 50);
		assertThat(posted).isInstanceOfSatisfying(TransferOutcome.Posted.class, (p) -> {
			assertThat(p.transfer().phase()).isEqualTo(TransferPhase.POST_PENDING);
			assertThat(p.transfer().pendingId()).isEqualTo(pending.id());
			assertThat(p.transfer().amount()).isEqualTo(50);
			assertThat(p.transfer().debitAfter()).isEqualTo(new AccountBalance(50, 0, 0));
			assertThat(p.transfer().creditAfter()).isEqualTo(new AccountBalance(50, 0, 0));
		});
		long resolution = ((TransferOutcome.Posted) posted).transfer().id();

		// Resolved once: posting or voiding it again is refused, and moves nothing.
		assertThat(this.ledger.postPending(brandId, pending.id()))
			.isEqualTo(new TransferOutcome.AlreadyResolved(resolution, TransferPhase.POST_PENDING));
		assertThat(this.ledger.voidPending(brandId, pending.id()))
			.isEqualTo(new TransferOutcome.AlreadyResolved(resolution, TransferPhase.POST_PENDING));
		assertThat(this.ledger.find(brandId, pending.id()))
			.hasValueSatisfying((transfer) -> assertThat(transfer.resolvedBy()).isEqualTo(resolution));
		assertThat(this.ledger.accounts(List.of(wallet(brandId), member)))
			.containsEntry(wallet(brandId), new AccountBalance(50, 0, 0))
			.containsEntry(member, new AccountBalance(50, 0, 0));
		assertInvariants(this.jdbc, brandId);
	}

	@Test
	void aVoidedPendingTransferReleasesItsReserve() {
		String brandId = brand(this.ledger, 100);
		AccountKey member = newMember(brandId);
		PostedTransfer pending = pending(wallet(brandId), member, 100, null);

		assertThat(this.ledger.postPending(brandId, pending.id(), 101))
			.isEqualTo(new TransferOutcome.ExceedsPending(100));
		assertThat(this.ledger.voidPending(brandId, pending.id())).isInstanceOfSatisfying(TransferOutcome.Posted.class,
				(voided) -> {
					assertThat(voided.transfer().phase()).isEqualTo(TransferPhase.VOID_PENDING);
					assertThat(voided.transfer().amount()).isEqualTo(100);
					assertThat(voided.transfer().debitAfter()).isEqualTo(new AccountBalance(100, 0, 0));
					assertThat(voided.transfer().creditAfter()).isEqualTo(AccountBalance.ZERO);
				});
		assertThat(this.ledger.postPending(brandId, pending.id())).isInstanceOf(TransferOutcome.AlreadyResolved.class);
		assertThat(this.ledger.voidPending(brandId, 999_999_999L)).isEqualTo(new TransferOutcome.NotPending());
		assertThat(this.ledger.postPending(brandId, pending.id() - 1)).isEqualTo(new TransferOutcome.NotPending());
		assertInvariants(this.jdbc, brandId);
	}

	@Test
	void aTransferNamingAnAccountOutsideItsBrandOrNoneIsNotPosted() {
		String brandId = brand(this.ledger, 1_000);
		String otherBrandId = brand(this.ledger, 1_000);
		long otherWallet = this.jdbc
			.sql("select id from ledger_accounts where brand_id = :brand and kind = 'brand_wallet'")
			.param("brand", otherBrandId)
			.query(Long.class)
			.single();
		long noAccount = this.jdbc.sql("select max(id) + 1000 from ledger_accounts").query(Long.class).single();
		for (long wrongId : new long[] { otherWallet, noAccount }) {
			// The node believes a member's account has an id that is not an account of
			// the brand: another brand's, or none at all.
			AccountKey member = newMember(brandId);
			this.transactions
				.executeWithoutResult((tx) -> this.knownAccounts.rememberInTransaction(Map.of(member, wrongId)));

			assertThatThrownBy(() -> this.transactions.executeWithoutResult((tx) -> this.ledger.post(List
				.of(TransferRequest.of(TransferCode.AWARD, "evt_astray_" + wrongId, wallet(brandId), member, 5)))))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("went missing");
			assertThat(this.jdbc
				.sql("select count(*) from ledger_transfers where idempotency_key like 'award:evt_astray%'")
				.query(Long.class)
				.single()).isZero();
			// The failure made the node forget what it believed: the member's account is
			// opened and paid the next time.
			assertThat(award(this.ledger, member, 5).amount()).isEqualTo(5);
		}
		assertThat(this.ledger.accounts(List.of(wallet(brandId))).get(wallet(brandId)).available()).isEqualTo(990);
		assertThat(this.ledger.accounts(List.of(wallet(otherBrandId))).get(wallet(otherBrandId)).available())
			.isEqualTo(1_000);
		assertInvariants(this.jdbc, brandId);
		assertInvariants(this.jdbc, otherBrandId);
	}

	/**
	 * A few accounts (a {@code /balance}, a transfer's two sides) are read by a statement
	 * with a parameter for each key, planned once; more by one over arrays. Either way an
	 * account not opened is absent and a key named twice is read once.
	 */
	@Test
	void balancesOfFewAndManyAccountsAreReadAlikeAndAFewArePlannedOnce() throws Exception {
		String brandId = brand(this.ledger, 1_000);
		AccountKey first = newMember(brandId);
		AccountKey second = newMember(brandId);
		AccountKey third = newMember(brandId);
		AccountKey unopened = newMember(brandId);
		award(this.ledger, first, 1);
		award(this.ledger, second, 2);
		award(this.ledger, third, 3);

		assertThat(this.ledger.balances(List.of(second))).containsExactly(Map.entry(second, 2L));
		assertThat(this.ledger.balances(List.of(unopened))).isEmpty();
		assertThat(this.ledger.balances(List.of(first, unopened))).containsExactly(Map.entry(first, 1L));
		assertThat(this.ledger.balances(List.of(first, second, first))).containsOnly(Map.entry(first, 1L),
				Map.entry(second, 2L));
		assertThat(this.ledger.balances(List.of(third, wallet(brandId), unopened))).containsOnly(Map.entry(third, 3L),
				Map.entry(wallet(brandId), 994L));
		assertThat(this.ledger.balances(List.of(first, second, third, unopened))).containsOnly(Map.entry(first, 1L),
				Map.entry(second, 2L), Map.entry(third, 3L));

		// A brand with many members, as PostgreSQL's statistics know it: on a few rows a
		// plan for a call's own keys is always the cheaper.
		this.jdbc.sql("""
				insert into ledger_accounts (brand_id, currency, kind, owner_id, created_at)
				select :brand, :currency, 'member', 1000000 + g, now() from generate_series(1, 20000) g
				""").param("brand", brandId).param("currency", CURRENCY).update();
		this.jdbc.sql("analyze ledger_accounts").update();
		// On one new connection (so that no earlier plans count): the driver prepares the
		// statement on the server after a few calls, and PostgreSQL counts the plans it
		// made for it there.
		this.dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
		String statement = "%from ledger_accounts a%order by a.id%";
		long[] plans = this.transactions.execute((tx) -> {
			for (int i = 0; i < 20; i++) {
				assertThat(this.ledger.balances(List.of(first, second))).hasSize(2);
			}
			return this.jdbc.sql("""
					select coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0) from pg_prepared_statements
					where statement like :statement and statement not like '%for update%'
					""")
				.param("statement", statement)
				.query((rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) })
				.single();
		});
		assertThat(plans[0]).as("reads on the generic plan").isGreaterThanOrEqualTo(10);
		assertThat(plans[1]).as("plans made for a call's own keys").isLessThanOrEqualTo(5);
	}

	/**
	 * The event pipeline locks the wallet and finds first-seen members' accounts in one
	 * statement, reserving ids for those not opened yet; the posting in the same
	 * transaction opens each with what it is paid (one row written, not opened and then
	 * moved), a payee paid nothing stays unopened, and a transaction that rolls back
	 * leaves no id behind.
	 */
	@Test
	void firstSeenMembersAccountsAreOpenedByTheirFirstPaymentAndForgottenOnRollback() {
		String brandId = brand(this.ledger, 1_000);
		AccountKey paid = newMember(brandId);
		AccountKey unpaid = newMember(brandId);
		AccountKey rolledBack = newMember(brandId);
		AccountKey known = newMember(brandId);
		award(this.ledger, known, 1);

		long[] written = this.transactions.execute((tx) -> {
			Map<AccountKey, Long> locked = this.ledger.lockAvailable(List.of(wallet(brandId)),
					List.of(paid, unpaid, known, wallet(brandId)));
			assertThat(locked).containsExactly(Map.entry(wallet(brandId), 999L));
			assertThat(this.knownAccounts.lookup(List.of(paid, unpaid, known))).containsOnlyKeys(known);
			assertThat(this.knownAccounts.reserved(List.of(paid, unpaid, known))).containsOnlyKeys(paid, unpaid);
			long[] before = accountsWritten();
			List<PostedTransfer> posted = this.ledger
				.post(List.of(TransferRequest.of(TransferCode.AWARD, "evt_opened_paid_1", wallet(brandId), paid, 7),
						TransferRequest.of(TransferCode.AWARD, "evt_opened_known", wallet(brandId), known, 2),
						TransferRequest.of(TransferCode.AWARD, "evt_opened_paid_2", wallet(brandId), paid, 3)));
			assertThat(posted).extracting(PostedTransfer::creditBalanceAfter).containsExactly(7L, 3L, 10L);
			assertThat(this.knownAccounts.lookup(List.of(paid))).containsOnlyKeys(paid);
			assertThat(this.knownAccounts.reserved(List.of(paid, unpaid))).containsOnlyKeys(unpaid);
			long[] after = accountsWritten();
			return new long[] { after[0] - before[0], after[1] - before[1] };
		});
		assertThat(written)
			.as("accounts the posting inserted (the new member's) and updated (the wallet, the known member's)")
			.containsExactly(1, 2);
		assertThat(this.ledger.balance(paid)).isEqualTo(10);
		assertThat(this.ledger.balance(known)).isEqualTo(3);
		assertThat(this.ledger.accounts(List.of(unpaid))).isEmpty();
		long paidId = this.jdbc.sql("""
				select id from ledger_accounts where brand_id = :brand and kind = 'member' and owner_id = :owner
				""").param("brand", brandId).param("owner", paid.ownerId()).query(Long.class).single();
		assertThat(this.knownAccounts.lookup(List.of(paid))).containsExactly(Map.entry(paid, paidId));
		assertThat(this.knownAccounts.lookup(List.of(unpaid))).isEmpty();

		this.transactions.executeWithoutResult((tx) -> {
			this.ledger.lockAvailable(List.of(wallet(brandId)), List.of(rolledBack));
			this.ledger.post(
					List.of(TransferRequest.of(TransferCode.AWARD, "evt_rolled_back", wallet(brandId), rolledBack, 4)));
			assertThat(this.knownAccounts.lookup(List.of(rolledBack))).containsOnlyKeys(rolledBack);
			tx.setRollbackOnly();
		});
		assertThat(this.knownAccounts.lookup(List.of(rolledBack))).isEmpty();
		Map<AccountKey, Long> inNextTransaction = this.transactions
			.execute((tx) -> this.knownAccounts.lookup(List.of(rolledBack)));
		assertThat(inNextTransaction).isEmpty();
		assertThat(award(this.ledger, rolledBack, 5).amount()).isEqualTo(5);
		assertThat(this.ledger.balance(rolledBack)).isEqualTo(5);
		assertInvariants(this.jdbc, brandId);
	}

	/** Rows of {@code ledger_accounts} inserted and updated so far by this session. */
	private long[] accountsWritten() {
		return this.jdbc.sql("""
				select n_tup_ins, n_tup_upd from pg_stat_xact_user_tables where relname = 'ledger_accounts'
				""").query((rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) }).single();
	}

	/**
	 * A member account reserved in one transaction and opened by another before the first
	 * posts to it (a concurrent credit, by any path) is moved, not opened twice: the
	 * transfer names the account that exists, and that id is the one remembered.
	 */
	@Test
	void anAccountOpenedMeanwhileByAnotherTransactionIsMovedAndNamed() {
		String brandId = brand(this.ledger, 1_000);
		AccountKey member = newMember(brandId);
		TransactionTemplate elsewhere = new TransactionTemplate(this.transactions.getTransactionManager());
		elsewhere.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);

		long[] ids = this.transactions.execute((tx) -> {
			this.ledger.lockAvailable(List.of(wallet(brandId)), List.of(member));
			long reserved = this.knownAccounts.reserved(List.of(member)).get(member);
			long opened = elsewhere.execute((inner) -> this.jdbc
				.sql("""
						insert into ledger_accounts (brand_id, currency, kind, owner_id, balance, allow_negative, created_at)
						values (:brand, :currency, 'member', :owner, 0, false, now())
						returning id
						""")
				.param("brand", brandId)
				.param("currency", CURRENCY)
				.param("owner", member.ownerId())
				.query(Long.class)
				.single());
			PostedTransfer posted = this.ledger
				.post(List.of(TransferRequest.of(TransferCode.AWARD, "evt_raced", wallet(brandId), member, 6)))
				.getFirst();
			assertThat(posted.creditBalanceAfter()).isEqualTo(6);
			long named = this.jdbc
				.sql("select credit_account_id from ledger_transfers where brand_id = :brand and id = :id")
				.param("brand", brandId)
				.param("id", posted.id())
				.query(Long.class)
				.single();
			return new long[] { reserved, opened, named };
		});
		assertThat(ids[1]).isNotEqualTo(ids[0]);
		assertThat(ids[2]).as("the account the transfer names").isEqualTo(ids[1]);
		assertThat(this.knownAccounts.lookup(List.of(member))).containsExactly(Map.entry(member, ids[1]));
		assertThat(this.ledger.balance(member)).isEqualTo(6);
		assertThat(award(this.ledger, member, 4).creditBalanceAfter()).isEqualTo(10);
		assertInvariants(this.jdbc, brandId);
	}

	@Test
	void theDatabaseKeepsEveryAccountTransfersName() {
		String brandId = brand(this.ledger, 1_000);
		AccountKey member = newMember(brandId);
		award(this.ledger, member, 10);

		assertThatThrownBy(
				() -> this.jdbc.sql("delete from ledger_accounts where brand_id = :brand and kind = 'member'")
					.param("brand", brandId)
					.update())
			.hasMessageContaining("ledger accounts are never deleted or renamed");
		assertThatThrownBy(() -> this.jdbc.sql("truncate ledger_accounts cascade").update())
			.hasMessageContaining("ledger accounts are never deleted or renamed");
		assertThatThrownBy(() -> this.jdbc
			.sql("update ledger_accounts set brand_id = brand_id || '-renamed' where brand_id = :brand")
			.param("brand", brandId)
			.update()).hasMessageContaining("ledger accounts are never deleted or renamed");
		assertThat(this.ledger.accounts(List.of(member)).get(member).available()).isEqualTo(10);
		assertInvariants(this.jdbc, brandId);
	}

	@Test
	void keepingAccountKeysLocksNoRowAnUpdateMoves() {
		String brandId = brand(this.ledger, 1_000);
		AccountKey member = newMember(brandId);
		award(this.ledger, member, 10);
		this.jdbc.sql("create extension if not exists pg_walinspect").update();
		String start = this.jdbc.sql("select pg_current_wal_insert_lsn()::text").query(String.class).single();
		// An update of a balance, as the ledger's posting makes: the check that keeps the
		// keys must not lock the row first. An update writes a row lock of its own only
		// when the new version goes to another page (an update that is not HOT).
		Long xid = this.transactions.execute((tx) -> {
			// Its commit flushes what it wrote, for the reading below (tests run with
			// synchronous_commit off).
			this.jdbc.sql("set local synchronous_commit = on").update();
			this.jdbc.sql("""
					update ledger_accounts set balance = balance + 0
					where brand_id = :brand and kind = 'member'
					""").param("brand", brandId).update();
			return this.jdbc.sql("select pg_current_xact_id()::text::bigint % 4294967296").query(Long.class).single();
		});
		Map<String, Object> records = this.jdbc.sql("""
				select count(*) filter (where r.record_type = 'LOCK') as locks,
				       count(*) filter (where r.record_type like 'UPDATE%') as moved,
				       count(*) filter (where r.record_type like '%UPDATE%') as updates
				from pg_get_wal_records_info(:start::pg_lsn, pg_current_wal_flush_lsn()) r
				join pg_get_wal_block_info(:start::pg_lsn, pg_current_wal_flush_lsn()) b
				  on b.start_lsn = r.start_lsn and b.block_id = 0
				where r.resource_manager = 'Heap' and r.xid::text::bigint = :xid
				  and b.relfilenode = pg_relation_filenode('ledger_accounts')
				""").param("start", start).param("xid", xid).query().singleRow();
		assertThat(((Number) records.get("updates")).longValue()).isOne();
		assertThat(((Number) records.get("locks")).longValue())
			.isLessThanOrEqualTo(((Number) records.get("moved")).longValue());
		assertInvariants(this.jdbc, brandId);
	}

	@Test
	void theDatabaseCountsReservesInTheOverdraftCheck() {
		String brandId = brand(this.ledger, 100);
		pending(wallet(brandId), newMember(brandId), 70, null);

		assertThatThrownBy(() -> this.transactions.executeWithoutResult((tx) -> this.ledger.post(
				List.of(TransferRequest.of(TransferCode.AWARD, "evt_over", wallet(brandId), newMember(brandId), 31)))))
			.isInstanceOf(InsufficientFundsException.class);
		assertThat(this.ledger.accounts(List.of(wallet(brandId))).get(wallet(brandId)).available()).isEqualTo(30);
	}

	@Test
	void anExpiredPendingTransferCanOnlyBeVoidedAndVoidExpiredVoidsIt() {
		String brandId = brand(this.ledger, 100);
		AccountKey member = newMember(brandId);
		Instant now = this.clock.instant();
		PostedTransfer expiring = pending(wallet(brandId), member, 30, now.plus(Duration.ofHours(1)));
		PostedTransfer later = pending(wallet(brandId), member, 20, now.plus(Duration.ofDays(1)));
		PostedTransfer never = pending(wallet(brandId), member, 10, null);

		assertThat(this.ledger.voidExpired(this.clock.instant(), 100)).isZero();
		this.clock.advance(Duration.ofHours(2));
		assertThat(this.ledger.postPending(brandId, expiring.id()))
			.isEqualTo(new TransferOutcome.Expired(expiring.expiresAt()));
		assertThat(this.ledger.voidExpired(this.clock.instant(), 100)).isPositive();

		assertThat(this.ledger.find(brandId, expiring.id()).orElseThrow().resolvedBy()).isNotNull();
		assertThat(this.ledger.find(brandId, later.id()).orElseThrow().resolvedBy()).isNull();
		assertThat(this.ledger.find(brandId, never.id()).orElseThrow().resolvedBy()).isNull();
		assertThat(this.ledger.accounts(List.of(wallet(brandId)))).containsEntry(wallet(brandId),
				new AccountBalance(100, 30, 0));
		assertThat(this.ledger.postPending(brandId, later.id())).isInstanceOf(TransferOutcome.Posted.class);
		assertInvariants(this.jdbc, brandId);
	}

	@Test
	void aMergeMovesWhatTheMemberCanPayAndWhatReservesGiveBackFollows() {
		String brandId = brand(this.ledger, 1_000);
		AccountKey absorbed = newMember(brandId);
		AccountKey survivor = newMember(brandId);
		PostedTransfer award = award(this.ledger, absorbed, 100);
		PostedTransfer reserve = pending(absorbed, wallet(brandId), 30, null);

		merge(brandId, absorbed, survivor);
		assertThat(this.ledger.accounts(List.of(absorbed, survivor)))
			.containsEntry(absorbed, new AccountBalance(30, 30, 0))
			.containsEntry(survivor, new AccountBalance(70, 0, 0));

		// The reserve is released: it goes where the rest went.
		assertThat(this.ledger.voidPending(brandId, reserve.id())).isInstanceOf(TransferOutcome.Posted.class);
		assertThat(this.ledger.accounts(List.of(absorbed, survivor))).containsEntry(absorbed, AccountBalance.ZERO)
			.containsEntry(survivor, new AccountBalance(100, 0, 0));

		// The award is taken back from where its value went, and from nowhere else.
		assertThat(reverse(absorbed, award.id(), 10, false)).isInstanceOf(TransferOutcome.InsufficientFunds.class);
		assertThat(reverse(survivor, award.id(), 10, false)).isInstanceOf(TransferOutcome.Posted.class);
		AccountKey later = newMember(brandId);
		merge(brandId, survivor, later);
		assertThat(reverse(later, award.id(), 10, false)).isInstanceOf(TransferOutcome.Posted.class);
		assertThat(this.ledger.balance(later)).isEqualTo(80);
		assertInvariants(this.jdbc, brandId);
	}

	@Test
	void transfersPostedIsPublishedForEveryPostingWithTheBalancesAfter(Scenario scenario) {
		String brandId = brand(this.ledger, 100);
		AccountKey member = newMember(brandId);
		scenario
			.stimulate(() -> this.ledger
				.transfer(TransferRequest.of(TransferCode.AWARD, "evt_scenario", wallet(brandId), member, 40)
					.withReference("evt_scenario")))
			.andWaitForEventOfType(TransfersPosted.class)
			.matching((posted) -> posted.transfers().getFirst().code() == TransferCode.AWARD
					&& posted.transfers().getFirst().brandId().equals(brandId))
			.toArriveAndVerify((posted) -> {
				PostedTransfer transfer = posted.transfers().getFirst();
				assertThat(transfer.code()).isEqualTo(TransferCode.AWARD);
				assertThat(transfer.debit()).isEqualTo(wallet(brandId));
				assertThat(transfer.credit()).isEqualTo(member);
				assertThat(transfer.amount()).isEqualTo(40);
				assertThat(transfer.reference()).isEqualTo("evt_scenario");
				assertThat(transfer.debitAfter()).isEqualTo(new AccountBalance(60, 0, 0));
				assertThat(transfer.creditAfter()).isEqualTo(new AccountBalance(40, 0, 0));
			});
	}

	@Test
	void transfersPostedIsHeardInTheTransactionAndNotAfterARollback() {
		String brandId = brand(this.ledger, 100);
		AccountKey member = newMember(brandId);
		this.listeners.clear();

		this.transactions.executeWithoutResult((tx) -> {
			this.ledger.transfer(TransferRequest.of(TransferCode.AWARD, "evt_rolled_back", wallet(brandId), member, 40)
				.withReference("evt_rolled_back"));
			tx.setRollbackOnly();
		});
		assertThat(this.listeners.inTransaction(brandId)).hasSize(1);
		assertThat(this.listeners.transferVisibleInTransaction).containsExactly(true);
		assertThat(this.listeners.afterCommit(brandId)).isEmpty();
		assertThat(this.ledger.balance(member)).isZero();

		this.ledger.transfer(TransferRequest.of(TransferCode.AWARD, "evt_committed", wallet(brandId), member, 40));
		assertThat(this.listeners.inTransaction(brandId)).hasSize(2);
		assertThat(this.listeners.afterCommit(brandId)).hasSize(1)
			.allSatisfy((posted) -> assertThat(posted.transfers()).singleElement()
				.satisfies((transfer) -> assertThat(transfer.creditBalanceAfter()).isEqualTo(40)));
	}

	private TransferOutcome reverse(AccountKey from, long transferId, long amount, boolean upTo) {
		TransferRequest reversal = TransferRequest
			.of(TransferCode.REWARD_REVERSAL, "rev_" + UUID.randomUUID(), from, wallet(from.brandId()), amount)
			.reversing(transferId);
		return upTo ? this.ledger.transferUpTo(reversal) : this.ledger.transfer(reversal);
	}

	private PostedTransfer pending(AccountKey debit, AccountKey credit, long amount, Instant expiresAt) {
		TransferOutcome outcome = this.ledger
			.transfer(TransferRequest.of(TransferCode.ESCROW, UUID.randomUUID().toString(), debit, credit, amount)
				.pendingUntil(expiresAt));
		assertThat(outcome).isInstanceOf(TransferOutcome.Posted.class);
		return ((TransferOutcome.Posted) outcome).transfer();
	}

	private void merge(String brandId, AccountKey absorbed, AccountKey survivor) {
		Instant now = this.clock.instant();
		this.transactions.executeWithoutResult((tx) -> this.events.publishEvent(new MembersMerged(brandId,
				new Member(brandId, survivor.ownerId(), survivor.ownerId(), MemberStatus.ACTIVE, now),
				new Member(brandId, absorbed.ownerId(), absorbed.ownerId(), MemberStatus.ACTIVE, now), now)));
	}

	/** Hears {@link TransfersPosted} in the transaction and after the commit. */
	static class Listeners {

		final List<TransfersPosted> inTransaction = new CopyOnWriteArrayList<>();

		final List<TransfersPosted> afterCommit = new CopyOnWriteArrayList<>();

		final List<Boolean> transferVisibleInTransaction = new CopyOnWriteArrayList<>();

		private final JdbcClient jdbc;

		Listeners(JdbcClient jdbc) {
			this.jdbc = jdbc;
		}

		@EventListener
		void inTransaction(TransfersPosted posted) {
			this.inTransaction.add(posted);
			if (posted.transfers().getFirst().reference() != null
					&& posted.transfers().getFirst().reference().equals("evt_rolled_back")) {
				// Written in the same transaction, so visible to it.
				this.transferVisibleInTransaction
					.add(this.jdbc.sql("select count(*) from ledger_transfers where id = :id")
						.param("id", posted.transfers().getFirst().id())
						.query(Long.class)
						.single() == 1);
			}
		}

		@TransactionalEventListener
		void afterCommit(TransfersPosted posted) {
			this.afterCommit.add(posted);
		}

		List<TransfersPosted> inTransaction(String brandId) {
			return this.inTransaction.stream()
				.filter((posted) -> posted.transfers().getFirst().brandId().equals(brandId))
				.toList();
		}

		List<TransfersPosted> afterCommit(String brandId) {
			return this.afterCommit.stream()
				.filter((posted) -> posted.transfers().getFirst().brandId().equals(brandId))
				.toList();
		}

		void clear() {
			this.inTransaction.clear();
			this.afterCommit.clear();
			this.transferVisibleInTransaction.clear();
		}

	}

}
