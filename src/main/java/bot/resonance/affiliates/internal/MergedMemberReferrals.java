package bot.resonance.affiliates.internal;

import java.util.List;

import bot.resonance.identity.MembersMerged;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * When two members merge, those the absorbed member referred become the survivor's
 * referrals (but the survivor itself); the absorbed member's referrer becomes the
 * survivor's if it has none; its referral codes keep working for the survivor.
 */
@Component
class MergedMemberReferrals {

	private final JdbcClient jdbc;

	MergedMemberReferrals(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@EventListener
	void on(MembersMerged merged) {
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
			this.jdbc.sql(sql)
				.param("brand", merged.brandId())
				.param("survivor", merged.survivor().id())
				.param("absorbed", merged.absorbed().id())
				.update();
		}
	}

}
