package bot.resonance.rewards.internal.ingest;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import bot.resonance.brands.Brand;
import bot.resonance.identity.Identity;
import bot.resonance.identity.Member;
import bot.resonance.identity.MemberStatus;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.TransferCode;
import bot.resonance.ledger.TransferContext;
import bot.resonance.rewards.EventRequest;
import bot.resonance.rewards.RejectionCode;
import bot.resonance.rewards.Submission;
import bot.resonance.rewards.internal.types.EventType;
import bot.resonance.rewards.internal.ingest.IngestBatchProcessor.Candidate;
import bot.resonance.rewards.internal.ingest.IngestBatchProcessor.Decided;
import bot.resonance.rewards.internal.ingest.IngestBatchProcessor.Decisions;
import bot.resonance.rewards.internal.ingest.IngestBatchProcessor.Due;
import bot.resonance.rewards.internal.ingest.IngestBatchProcessor.RuleState;

import static org.assertj.core.api.Assertions.assertThat;
import bot.resonance.rewards.internal.types.BrandType;

/**
 * The batch's decision step on its own: a pure function of the loaded state and the time,
 * tested without a database.
 */
class BatchDecisionUnitTests {

	static final String BRAND_ID = "0x" + "b".repeat(40);

	static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

	static final Brand BRAND = new Brand(BRAND_ID, "Brand", 600, null, false, "POINT", Instant.EPOCH, Instant.EPOCH);

	static final AccountKey WALLET = AccountKey.wallet(BRAND_ID, "POINT");

	static final EventType CHECKIN = new EventType("checkin", true, 10, 0, null, null, null, false, null);

	final Member alice = new Member(BRAND_ID, 1, 100 + 1, MemberStatus.ACTIVE, Instant.EPOCH);

	final Map<BrandType, EventType> types = Map.of(new BrandType(BRAND_ID, "checkin"), CHECKIN);

	@Test
	void pendingEventsThatCameDueAreDecidedBeforeNewOnesAndPayFirst() {
		Due due = due("evt_1", this.alice, 10);
		Candidate fresh = candidate(0, "evt_2", this.alice, 10);
		RuleState state = new RuleState(Map.of(), Map.of(WALLET, 10L));

		Decisions decisions = IngestBatchProcessor.decide(NOW, List.of(due), List.of(fresh), this.types, state);

		assertThat(decisions.decided()).extracting(Decided::eventId).containsExactly("evt_1", "evt_2");
		assertThat(decisions.decided().get(0).decision()).isEqualTo(new Decision.Award(10));
		assertThat(decisions.decided().get(1).decision()).isInstanceOfSatisfying(Decision.Reject.class,
				(reject) -> assertThat(reject.code()).isEqualTo(RejectionCode.INSUFFICIENT_BALANCE));
		assertThat(decisions.transfers()).singleElement().satisfies((transfer) -> {
			assertThat(transfer.code()).isEqualTo(TransferCode.AWARD);
			assertThat(transfer.key()).isEqualTo("evt_1");
			assertThat(transfer.debit()).isEqualTo(WALLET);
			assertThat(transfer.credit()).isEqualTo(AccountKey.member(BRAND_ID, "POINT", 1));
			assertThat(transfer.amount()).isEqualTo(10);
			assertThat(transfer.context()).isEqualTo(new TransferContext("111", "999", "REWARD"));
		});
	}

	@Test
	void laterEventsOfTheBatchSeeEarlierRewardsAndTheLoadedStateIsLeftAlone() {
		EventType daily = new EventType("checkin", true, 10, 0, 1, null, null, false, null);
		Map<MemberTypeKey, TypeState> loadedStates = new HashMap<>();
		Map<AccountKey, Long> loadedWallets = new HashMap<>(Map.of(WALLET, 100L));
		RuleState state = new RuleState(loadedStates, loadedWallets);
		Candidate first = candidate(0, "evt_a", this.alice, 10);
		Candidate second = candidate(1, "evt_b", this.alice, 10);
		first.type = daily;
		second.type = daily;

		Decisions decisions = IngestBatchProcessor.decide(NOW, List.of(), List.of(first, second),
				Map.of(new BrandType(BRAND_ID, "checkin"), daily), state);

		assertThat(decisions.decided().get(0).decision()).isEqualTo(new Decision.Award(10));
		assertThat(decisions.decided().get(1).decision()).isInstanceOf(Decision.Defer.class);
		MemberTypeKey key = new MemberTypeKey(BRAND_ID, 1, "checkin");
		assertThat(decisions.changedStates()).containsOnlyKeys(key);
		assertThat(decisions.changedStates().get(key).dayCount()).isEqualTo(1);
		assertThat(loadedStates).isEmpty();
		assertThat(loadedWallets).containsEntry(WALLET, 100L);
	}

	@Test
	void aPendingEventWhoseTypeWasDisabledOrWhoseMemberIsGoneIsRejected() {
		Due disabledType = due("evt_x", this.alice, 10);
		Due goneMember = due("evt_y", null, 10);
		EventType disabled = new EventType("checkin", false, 10, 0, null, null, null, false, null);

		Decisions decisions = IngestBatchProcessor.decide(NOW, List.of(disabledType), List.of(),
				Map.of(new BrandType(BRAND_ID, "checkin"), disabled), new RuleState(Map.of(), Map.of(WALLET, 100L)));
		Decisions gone = IngestBatchProcessor.decide(NOW, List.of(goneMember), List.of(), this.types,
				new RuleState(Map.of(), Map.of(WALLET, 100L)));

		assertThat(decisions.decided().getFirst().decision()).isInstanceOfSatisfying(Decision.Reject.class,
				(reject) -> assertThat(reject.code()).isEqualTo(RejectionCode.EVENT_DISABLED));
		assertThat(gone.decided().getFirst().decision()).isInstanceOfSatisfying(Decision.Reject.class,
				(reject) -> assertThat(reject.code()).isEqualTo(RejectionCode.USER_DISABLED));
		assertThat(decisions.transfers()).isEmpty();
		assertThat(gone.transfers()).isEmpty();
	}

	private static Due due(String eventId, Member member, long amount) {
		Due due = new Due(-1, new DueEventRow(BRAND_ID, eventId, "checkin", "111", "999", 1, amount, null), BRAND);
		due.member = member;
		return due;
	}

	private static Candidate candidate(int index, String eventId, Member member, long amount) {
		EventRequest request = new EventRequest("checkin", "222", "888", amount, null, null);
		Candidate candidate = new Candidate(index,
				new Submission.NewEvent(eventId, BRAND, request, null, new byte[32], NOW, "api"),
				Identity.discord(BRAND_ID, "222").orElseThrow());
		candidate.member = member;
		candidate.type = CHECKIN;
		candidate.amount = amount;
		candidate.currency = "POINT";
		return candidate;
	}

}
