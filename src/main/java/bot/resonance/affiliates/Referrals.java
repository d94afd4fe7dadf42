package bot.resonance.affiliates;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import bot.resonance.identity.Identity;
import bot.resonance.identity.Member;
import bot.resonance.identity.Members;
import bot.resonance.platform.db.BrandLock;
import bot.resonance.platform.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who referred whom, and referral codes. A member has at most one referrer, set once;
 * nobody refers themselves, and no chain of referrals leads back to where it started.
 * Changes hold the brand's lock, so two members cannot become each other's referrers at
 * once.
 */
@Service
public class Referrals {

	private static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final Members members;

	private final BrandLock brandLock;

	private final java.time.Clock clock;

	Referrals(JdbcClient jdbc, Members members, BrandLock brandLock, java.time.Clock clock) {
		this.jdbc = jdbc;
		this.members = members;
		this.brandLock = brandLock;
		this.clock = clock;
	}

	/**
	 * Makes {@code referrer} (a member, or the owner of a referral code) the referrer of
	 * {@code member}, creating either if never seen; returns the member.
	 */
	@Transactional
	public Member setReferrer(Identity member, Referrer referrer) {
		this.brandLock.lock(member.brandId());
		Member referred = this.members.resolveOrCreate(List.of(member)).get(member);
		long referrerId = switch (referrer) {
			case Referrer.ByIdentity byIdentity ->
				this.members.resolveOrCreate(List.of(byIdentity.identity())).get(byIdentity.identity()).id();
			case Referrer.ByCode byCode -> ownerOf(member.brandId(), byCode.code()).orElseThrow(() -> ApiException
				.notFound("referral_code_not_found", "No referral code " + byCode.code() + " in this brand."));
		};
		if (referrerId == referred.id()) {
			throw ApiException.invalidRequest("A member cannot refer themselves.");
		}
		Optional<Long> current = referrerOf(member.brandId(), referred.id());
		if (current.isPresent()) {
			if (current.get() == referrerId) {
				return referred;
			}
			throw ApiException.conflict("referrer_already_set",
					"This member already has a referrer (mem_" + current.get() + "); it cannot be changed.");
		}
		if (leadsTo(member.brandId(), referrerId, referred.id())) {
			throw ApiException.invalidRequest("That would make a referral cycle: mem_" + referrerId
					+ " was referred, directly or not, by this member.");
		}
		this.jdbc.sql("""
				insert into member_referrals (brand_id, member_id, referrer_id, created_at)
				values (:brand, :member, :referrer, :now)
				""")
			.param("brand", member.brandId())
			.param("member", referred.id())
			.param("referrer", referrerId)
			.param("now", this.clock.instant().atOffset(ZoneOffset.UTC))
			.update();
		return referred;
	}

	/** The member's referral code, made now if they have none. */
	@Transactional
	public String code(Member member) {
		Optional<String> existing = this.jdbc.sql("""
				select code from referral_codes where brand_id = :brand and member_id = :member
				order by created_at limit 1
				""").param("brand", member.brandId()).param("member", member.id()).query(String.class).optional();
		if (existing.isPresent()) {
			return existing.get();
		}
		Instant now = this.clock.instant();
		while (true) {
			String code = newCode();
			int inserted = this.jdbc.sql("""
					insert into referral_codes (brand_id, code, member_id, created_at)
					values (:brand, :code, :member, :now) on conflict do nothing
					""")
				.param("brand", member.brandId())
				.param("code", code)
				.param("member", member.id())
				.param("now", now.atOffset(ZoneOffset.UTC))
				.update();
			if (inserted == 1) {
				return code;
			}
		}
	}

	public Optional<Long> referrerOf(String brandId, long memberId) {
		return this.jdbc.sql("select referrer_id from member_referrals where brand_id = :brand and member_id = :member")
			.param("brand", brandId)
			.param("member", memberId)
			.query(Long.class)
			.optional();
	}

	private Optional<Long> ownerOf(String brandId, String code) {
		return this.jdbc.sql("select member_id from referral_codes where brand_id = :brand and code = :code")
			.param("brand", brandId)
			.param("code", code.trim().toUpperCase(java.util.Locale.ROOT))
			.query(Long.class)
			.optional();
	}

	/** Whether following referrers up from {@code start} reaches {@code target}. */
	private boolean leadsTo(String brandId, long start, long target) {
		return Boolean.TRUE.equals(this.jdbc.sql("""
				with recursive chain (id, depth) as (
				    select :start::bigint, 0
				    union all
				    select r.referrer_id, c.depth + 1
				    from chain c join member_referrals r on r.brand_id = :brand and r.member_id = c.id
				    where c.depth < 10000
				)
				select exists (select 1 from chain where id = :target)
				""")
			.param("brand", brandId)
			.param("start", start)
			.param("target", target)
			.query(Boolean.class)
			.single());
	}

	private static String newCode() {
		StringBuilder code = new StringBuilder(8);
		for (int i = 0; i < 8; i++) {
			code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return code.toString();
	}

	/** Who the referrer is. */
	public sealed interface Referrer {

		/** A member, by any identity. */
		record ByIdentity(Identity identity) implements Referrer {
		}

		/** The owner of a referral code. */
		record ByCode(String code) implements Referrer {
		}

	}

}
