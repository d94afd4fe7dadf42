package bot.resonance.rewards.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import bot.resonance.identity.Identity;
import bot.resonance.identity.Member;
import bot.resonance.identity.Members;
import bot.resonance.ledger.AccountKey;
import bot.resonance.ledger.Currency;
import bot.resonance.ledger.Ledger;
import bot.resonance.ledger.TransferRequest;
import bot.resonance.platform.db.BrandLock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Links identities to members. Linking an identity that belongs to another member merges
 * that member into this one: its identities, balances (one ledger transfer per currency),
 * rule state (cooldowns and today's counts), event history and analytics move over, in
 * one transaction that holds the brand's event-processing lock, so no event of the brand
 * is decided while the two members are half merged.
 */
@Component
class MemberLinks {

	private final Members members;

	private final Ledger ledger;

	private final JdbcClient jdbc;

	private final BrandLock brandLock;

	MemberLinks(Members members, Ledger ledger, JdbcClient jdbc, BrandLock brandLock) {
		this.members = members;
		this.ledger = ledger;
		this.jdbc = jdbc;
		this.brandLock = brandLock;
	}

	/**
	 * Gives the member behind {@code member} (created if never seen) the identity
	 * {@code added}, merging its current owner in if it has one.
	 */
	@Transactional
	public Linked link(Identity member, Identity added) {
		lockBrand(member.brandId());
		Member survivor = this.members.resolveOrCreate(List.of(member)).get(member);
		long owner = this.members.attach(added, survivor);
		if (owner == survivor.id()) {
			return new Linked(survivor, null);
		}
		Member absorbed = this.members.findByIds(survivor.brandId(), List.of(owner)).get(owner);
		// Before reading its balances: a balance change outside the event pipeline holds
		// a shared lock on the member while it moves money.
		this.members.lock(absorbed, true);
		merge(survivor, absorbed);
		Member merged = this.members.findByIds(survivor.brandId(), List.of(survivor.id())).get(survivor.id());
		return new Linked(merged, absorbed);
	}

	private void merge(Member survivor, Member absorbed) {
		String brandId = survivor.brandId();
		List<TransferRequest> transfers = new ArrayList<>();
		List<Currency> currencies = this.ledger.currencies(brandId);
		Map<AccountKey, Long> balances = this.ledger
			.lockBalances(currencies.stream().map((c) -> AccountKey.member(brandId, c.code(), absorbed.id())).toList());
		balances.forEach((account, balance) -> {
			if (balance > 0) {
				transfers
					.add(new TransferRequest(account, AccountKey.member(brandId, account.currency(), survivor.id()),
							balance, "merge:" + absorbed.id() + ":" + survivor.id() + ":" + account.currency(),
							"member_merge", "mem_" + absorbed.id()));
			}
		});
		this.ledger.post(transfers);
		this.jdbc
			.sql("""
					insert into reward_member_type_state as s (brand_id, member_id, event_type, last_awarded_at, day, day_count)
					select brand_id, :survivor, event_type, last_awarded_at, day, day_count
					from reward_member_type_state where brand_id = :brand and member_id = :absorbed
					on conflict (brand_id, member_id, event_type) do update set
					    last_awarded_at = greatest(s.last_awarded_at, excluded.last_awarded_at),
					    day = greatest(s.day, excluded.day),
					    day_count = case when s.day = excluded.day then s.day_count + excluded.day_count
					                     when excluded.day > s.day then excluded.day_count
					                     else s.day_count end
					""")
			.param("brand", brandId)
			.param("survivor", survivor.id())
			.param("absorbed", absorbed.id())
			.update();
		this.jdbc.sql("delete from reward_member_type_state where brand_id = :brand and member_id = :absorbed")
			.param("brand", brandId)
			.param("absorbed", absorbed.id())
			.update();
		// The analytics' per-member days follow the history. They are those of the
		// absorbed member's events, found through their index (reward_member_activity has
		// none by member, which would cost every event batch). A day where both were
		// active
		// loses one active member; the weeks and months of those days are rolled up
		// again.
		this.jdbc.sql("""
				with days as (
				    select distinct (received_at at time zone 'UTC')::date as day
				    from reward_events where brand_id = :brand and member_id = :absorbed
				), moved as (
				    delete from reward_member_activity a using days
				    where a.brand_id = :brand and a.span = 'day' and a.start = days.day and a.member_id = :absorbed
				    returning a.start, a.currency, a.events, a.awarded
				), shared as (
				    update reward_active_members c set members = c.members - 1
				    from (select distinct start from moved) m
				    where c.brand_id = :brand and c.span = 'day' and c.start = m.start
				      and exists (select 1 from reward_member_activity a
				                  where a.brand_id = :brand and a.span = 'day' and a.start = m.start
				                    and a.member_id = :survivor)
				), stale_rollups as (
				    delete from reward_rollups r
				    using (select distinct p.span, p.start from days cross join lateral reward_periods(days.day) p) s
				    where r.brand_id = :brand and r.span = s.span and r.start = s.start
				)
				insert into reward_member_activity as s (brand_id, span, start, member_id, currency, events, awarded)
				select :brand, 'day', start, :survivor, currency, events, awarded from moved
				order by start, currency
				on conflict (brand_id, span, start, member_id, currency) do update
				set events = s.events + excluded.events, awarded = s.awarded + excluded.awarded
				""").param("brand", brandId).param("survivor", survivor.id()).param("absorbed", absorbed.id()).update();
		this.jdbc
			.sql("update reward_events set member_id = :survivor where brand_id = :brand and member_id = :absorbed")
			.param("brand", brandId)
			.param("survivor", survivor.id())
			.param("absorbed", absorbed.id())
			.update();
		moveReferrals(brandId, survivor.id(), absorbed.id());
		this.members.absorb(survivor, absorbed);
	}

	/**
	 * Those the absorbed member referred are the survivor's referrals now (but the
	 * survivor's own); the absorbed member's referrer becomes the survivor's if it has
	 * none; its referral codes keep working for the survivor.
	 */
	private void moveReferrals(String brandId, long survivor, long absorbed) {
		for (String sql : List.of("""
				update member_referrals set referrer_id = :survivor
				where brand_id = :brand and referrer_id = :absorbed and member_id <> :survivor
				""",
				"""
						delete from member_referrals where brand_id = :brand and member_id = :survivor and referrer_id = :absorbed
						""",
				"""
						insert into member_referrals (brand_id, member_id, referrer_id, created_at)
						select brand_id, :survivor, referrer_id, created_at from member_referrals
						where brand_id = :brand and member_id = :absorbed and referrer_id <> :survivor
						on conflict do nothing
						""", "delete from member_referrals where brand_id = :brand and member_id = :absorbed",
				"update referral_codes set member_id = :survivor where brand_id = :brand and member_id = :absorbed")) {
			this.jdbc.sql(sql).param("brand", brandId).param("survivor", survivor).param("absorbed", absorbed).update();
		}
	}

	/** Takes the brand's lock (see {@link BrandLock}) until the transaction ends. */
	void lockBrand(String brandId) {
		this.brandLock.lock(brandId);
	}

	/**
	 * A link made.
	 *
	 * @param member the member, after the link (and merge)
	 * @param mergedFrom the member merged into it, if the identity belonged to one
	 */
	record Linked(Member member, @Nullable Member mergedFrom) {
	}

}
