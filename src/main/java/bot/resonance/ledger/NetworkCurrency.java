package bot.resonance.ledger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import bot.resonance.identity.Member;
import bot.resonance.identity.Members;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * RSNC, the network's currency, and where it is kept: one ledger partition,
 * {@value #PARTITION}, shared by every brand of the deployment. The operator issues RSNC
 * into brands' RSNC wallets (issuance → a brand's RSNC wallet); brands pay it to people
 * (a brand's RSNC wallet → the person's balance), whichever brand's member they are; a
 * person redeems it at any brand (the person's balance → that brand's RSNC wallet). Every
 * RSNC transfer is between two accounts of the partition, so the ledger's guarantees hold
 * for RSNC as for a brand's own points.
 *
 * <p>
 * Brand-side code names accounts through {@link #wallet} and {@link #holder}, which give
 * the brand partition's accounts for a brand's own currencies and the network's for RSNC.
 */
@Service
public class NetworkCurrency {

	/** The network currency's code. */
	public static final String CODE = "RSNC";

	/** The ledger partition (the {@code brand_id} of its rows) RSNC lives in. */
	public static final String PARTITION = "network";

	private final JdbcClient jdbc;

	/** The identity module's, for holding people; looked up when first needed. */
	private final ObjectProvider<Members> members;

	/** Brands' RSNC wallet owners: fixed once assigned, so kept for the process. */
	private final Map<String, Long> owners = new ConcurrentHashMap<>();

	private final Map<Long, String> brands = new ConcurrentHashMap<>();

	NetworkCurrency(JdbcClient jdbc, ObjectProvider<Members> members) {
		this.jdbc = jdbc;
		this.members = members;
	}

	/** Whether {@code currency} is the network's. */
	public static boolean isNetwork(String currency) {
		return CODE.equals(currency);
	}

	/** The account RSNC is issued from (only it can go negative). */
	public static AccountKey issuance() {
		return AccountKey.issuance(PARTITION, CODE);
	}

	/** A person's RSNC balance. */
	public static AccountKey person(long personId) {
		return AccountKey.member(PARTITION, CODE, personId);
	}

	/** A brand's RSNC wallet, from which it pays RSNC and into which redemptions go. */
	public AccountKey brandWallet(String brandId) {
		return new AccountKey(PARTITION, CODE, AccountKind.BRAND_WALLET, owner(brandId));
	}

	/** The brand whose RSNC wallet an account of the partition is, if it is one. */
	public java.util.Optional<String> brandOfWallet(AccountKey account) {
		if (!PARTITION.equals(account.brandId()) || account.kind() != AccountKind.BRAND_WALLET) {
			return java.util.Optional.empty();
		}
		String known = this.brands.get(account.ownerId());
		if (known != null) {
			return java.util.Optional.of(known);
		}
		java.util.Optional<String> brand = this.jdbc
			.sql("select brand_id from ledger_network_wallets where owner_id = :owner")
			.param("owner", account.ownerId())
			.query(String.class)
			.optional();
		brand.ifPresent((id) -> this.brands.put(account.ownerId(), id));
		return brand;
	}

	/** The wallet a brand pays {@code currency} from: its own, or its RSNC wallet. */
	public AccountKey wallet(String brandId, String currency) {
		return isNetwork(currency) ? brandWallet(brandId) : AccountKey.wallet(brandId, currency);
	}

	/**
	 * Where a member's {@code currency} balance is kept: the member's account for the
	 * brand's own currencies, the person's for RSNC.
	 */
	public static AccountKey holder(String brandId, String currency, long memberId, long personId) {
		return isNetwork(currency) ? person(personId) : AccountKey.member(brandId, currency, memberId);
	}

	/**
	 * Where a member (held by the caller) keeps {@code currency}, ready to be paid or
	 * debited in the caller's transaction: for RSNC, the person is held too (a merge of
	 * them waits) and the account is the person's as they are now.
	 */
	public AccountKey heldHolder(String currency, Member member) {
		long person = isNetwork(currency) ? this.members.getObject().holdPerson(member.personId()) : member.personId();
		return holder(member.brandId(), currency, member.id(), person);
	}

	private long owner(String brandId) {
		Long known = this.owners.get(brandId);
		if (known != null) {
			return known;
		}
		java.util.Optional<Long> stored = this.jdbc
			.sql("select owner_id from ledger_network_wallets where brand_id = :brand")
			.param("brand", brandId)
			.query(Long.class)
			.optional();
		if (stored.isEmpty()) {
			// Assigned with the caller's transaction: remembered only once read
			// committed,
			// since the caller may roll back. A concurrent first use waits for this one.
			java.util.Optional<Long> inserted = this.jdbc
				.sql("""
						with assigned as (
						    insert into ledger_network_wallets (brand_id) values (:brand)
						    on conflict (brand_id) do nothing
						    returning owner_id
						), opened as (
						    insert into ledger_accounts (brand_id, currency, kind, owner_id, balance, allow_negative, created_at)
						    select :partition, :currency, 'brand_wallet', owner_id, 0, false, now() from assigned
						    on conflict do nothing
						)
						select owner_id from assigned
						""")
				.param("brand", brandId)
				.param("partition", PARTITION)
				.param("currency", CODE)
				.query(Long.class)
				.optional();
			if (inserted.isPresent()) {
				return inserted.get();
			}
			stored = this.jdbc.sql("select owner_id from ledger_network_wallets where brand_id = :brand")
				.param("brand", brandId)
				.query(Long.class)
				.optional();
		}
		long owner = stored.orElseThrow();
		this.owners.put(brandId, owner);
		return owner;
	}

}
