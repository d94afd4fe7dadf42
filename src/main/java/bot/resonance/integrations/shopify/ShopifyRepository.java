package bot.resonance.integrations.shopify;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import bot.resonance.identity.Identity;
import bot.resonance.identity.IdentityKind;
import bot.resonance.platform.crypto.SealedSecrets;
import bot.resonance.platform.crypto.SecretSealer;
import bot.resonance.platform.db.TransactionLocks;
import bot.resonance.platform.jobs.IfScheduled;
import bot.resonance.platform.jobs.JobKey;
import bot.resonance.platform.jobs.Jobs;
import bot.resonance.platform.db.Pruning;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The Shopify integration's tables: settings, received webhooks, rewarded orders, and the
 * reward reversals refunds cause. The shop's webhook secret is an HMAC key, kept readable
 * but sealed when a sealing key is set.
 */
@Component
class ShopifyRepository implements SealedSecrets {

	private static final String SECRET_PURPOSE = "Shopify webhook secret";

	private final JdbcClient jdbc;

	private final SecretSealer sealer;

	private final Jobs jobs;

	private final ShopifyProperties properties;

	ShopifyRepository(JdbcClient jdbc, SecretSealer sealer, Jobs jobs, ShopifyProperties properties) {
		this.jdbc = jdbc;
		this.sealer = sealer;
		this.jobs = jobs;
		this.properties = properties;
	}

	@Override
	public int reseal(SecretSealer sealer) {
		return sealer.reseal(this.jdbc, "shopify_settings", "webhook_secret", SECRET_PURPOSE);
	}

	// ---- settings

	Optional<ShopifySettings> settings(String brandId) {
		return this.jdbc.sql("""
				select brand_id, webhook_secret, order_topic, event_type, enabled, created_at, updated_at
				from shopify_settings where brand_id = :brand
				""").param("brand", brandId).query(this::settingsRow).optional();
	}

	/** Locks a brand's settings row (if any) until the transaction ends. */
	Optional<ShopifySettings> settingsForUpdate(String brandId) {
		return this.jdbc.sql("""
				select brand_id, webhook_secret, order_topic, event_type, enabled, created_at, updated_at
				from shopify_settings where brand_id = :brand for update
				""").param("brand", brandId).query(this::settingsRow).optional();
	}

	/** Stores settings; returns whether they are new. */
	boolean save(ShopifySettings settings) {
		return Boolean.TRUE.equals(this.jdbc
			.sql("""
					insert into shopify_settings (brand_id, webhook_secret, order_topic, event_type, enabled, created_at, updated_at)
					values (:brand, :secret, :topic, :type, :enabled, :created, :updated)
					on conflict (brand_id) do update
					set webhook_secret = excluded.webhook_secret, order_topic = excluded.order_topic,
					    event_type = excluded.event_type, enabled = excluded.enabled, updated_at = excluded.updated_at
					returning (xmax = 0) as inserted
					""")
			.param("brand", settings.brandId())
			.param("secret", this.sealer.seal(SECRET_PURPOSE, settings.webhookSecret()))
			.param("topic", settings.orderTopic())
			.param("type", settings.eventType())
			.param("enabled", settings.enabled())
			.param("created", utc(settings.createdAt()))
			.param("updated", utc(settings.updatedAt()))
			.query(Boolean.class)
			.single());
	}

	boolean deleteSettings(String brandId) {
		return this.jdbc.sql("delete from shopify_settings where brand_id = :brand")
			.param("brand", brandId)
			.update() == 1;
	}

	// ---- received webhooks

	/**
	 * Records a webhook as being processed, unless its id was received before; returns
	 * whether this call recorded it.
	 */
	boolean claimWebhook(String brandId, String webhookId, String topic, Instant now) {
		return this.jdbc.sql("""
				insert into shopify_webhooks (brand_id, webhook_id, topic, outcome, received_at)
				values (:brand, :id, :topic, 'processing', :now)
				on conflict (brand_id, webhook_id) do nothing
				""")
			.param("brand", brandId)
			.param("id", webhookId)
			.param("topic", topic)
			.param("now", utc(now))
			.update() == 1;
	}

	Optional<ReceivedWebhook> webhook(String brandId, String webhookId) {
		return this.jdbc.sql("""
				select topic, outcome, event_id, note, received_at from shopify_webhooks
				where brand_id = :brand and webhook_id = :id
				""")
			.param("brand", brandId)
			.param("id", webhookId)
			.query((rs, row) -> new ReceivedWebhook(rs.getString("topic"), rs.getString("outcome"),
					rs.getString("event_id"), rs.getString("note"),
					rs.getObject("received_at", OffsetDateTime.class).toInstant()))
			.optional();
	}

	void completeWebhook(String brandId, String webhookId, String outcome, @Nullable String eventId,
			@Nullable String note) {
		this.jdbc.sql("""
				update shopify_webhooks set outcome = :outcome, event_id = :event, note = :note
				where brand_id = :brand and webhook_id = :id
				""")
			.param("brand", brandId)
			.param("id", webhookId)
			.param("outcome", outcome)
			.param("event", eventId)
			.param("note", (note != null && note.length() > 1000) ? note.substring(0, 1000) : note)
			.update();
	}

	/** Forgets a webhook that Shopify is told to retry, so the retry acts. */
	void releaseWebhook(String brandId, String webhookId) {
		this.jdbc
			.sql("delete from shopify_webhooks where brand_id = :brand and webhook_id = :id and outcome = 'processing'")
			.param("brand", brandId)
			.param("id", webhookId)
			.update();
	}

	int pruneWebhooks(Instant cutoff, int limit) {
		return Pruning.deleteBefore(this.jdbc, "shopify_webhooks", "received_at", cutoff, limit);
	}

	// ---- orders

	/** Remembers the event an order became; the first record of an order stays. */
	void recordOrder(String brandId, String orderId, String eventId, Identity identity, @Nullable BigDecimal total,
			Instant now) {
		this.jdbc
			.sql("""
					insert into shopify_orders (brand_id, order_id, event_id, identity_kind, identity_value, total, created_at)
					values (:brand, :order, :event, :kind, :value, :total, :now)
					on conflict (brand_id, order_id) do nothing
					""")
			.param("brand", brandId)
			.param("order", orderId)
			.param("event", eventId)
			.param("kind", identity.kind().wireName())
			.param("value", identity.value())
			.param("total", total, Types.NUMERIC)
			.param("now", utc(now))
			.update();
	}

	/** An order recorded as rewarded through this integration, with its event. */
	Optional<StoredOrder> order(String brandId, String orderId) {
		return this.jdbc.sql("""
				select event_id, identity_kind, identity_value, total from shopify_orders
				where brand_id = :brand and order_id = :order
				""").param("brand", brandId).param("order", orderId).query((rs, row) -> {
			IdentityKind kind = IdentityKind.fromWireName(rs.getString("identity_kind")).orElseThrow();
			return new StoredOrder(orderId, rs.getString("event_id"),
					new Identity(brandId, kind, rs.getString("identity_value")), rs.getBigDecimal("total"));
		}).optional();
	}

	// ---- reversals

	Optional<Reversal> reversal(String brandId, String source, String externalId) {
		return this.jdbc.sql("""
				select id, event_id, refunded, amount, reversed from reward_reversals
				where brand_id = :brand and source = :source and external_id = :external
				""")
			.param("brand", brandId)
			.param("source", source)
			.param("external", externalId)
			.query((rs, row) -> new Reversal(rs.getString("id"), rs.getString("event_id"), rs.getBigDecimal("refunded"),
					rs.getLong("amount"), rs.getLong("reversed")))
			.optional();
	}

	/** Serializes reversals of one award until the transaction ends. */
	void lockReversalsOf(String brandId, String eventId) {
		TransactionLocks.lock(this.jdbc, "reward_reversals/" + brandId + "/" + eventId);
	}

	/** What earlier reversals of an award add up to. */
	ReversalTotals reversalTotals(String brandId, String eventId) {
		return this.jdbc.sql("""
				select coalesce(sum(refunded), 0) as refunded, coalesce(sum(amount), 0) as amount
				from reward_reversals where brand_id = :brand and event_id = :event
				""")
			.param("brand", brandId)
			.param("event", eventId)
			.query((rs, row) -> new ReversalTotals(rs.getBigDecimal("refunded"), rs.getLong("amount")))
			.single();
	}

	void insertReversal(String brandId, String id, String eventId, String source, String externalId,
			BigDecimal refunded, long amount, long reversed, @Nullable Long memberId, @Nullable String currency,
			@Nullable Long transferId, Instant now) {
		this.jdbc.sql("""
				insert into reward_reversals (brand_id, id, event_id, source, external_id, refunded, amount, reversed,
				                              member_id, currency, transfer_id, created_at)
				values (:brand, :id, :event, :source, :external, :refunded, :amount, :reversed,
				        :member, :currency, :transfer, :now)
				""")
			.param("brand", brandId)
			.param("id", id)
			.param("event", eventId)
			.param("source", source)
			.param("external", externalId)
			.param("refunded", refunded, Types.NUMERIC)
			.param("amount", amount)
			.param("reversed", reversed)
			.param("member", memberId, Types.BIGINT)
			.param("currency", currency, Types.VARCHAR)
			.param("transfer", transferId, Types.BIGINT)
			.param("now", utc(now))
			.update();
	}

	// ---- refunds held until their order's reward is paid

	/**
	 * Serializes what touches one order's reward and refunds (recording the order,
	 * holding or settling its refunds) until the transaction ends.
	 */
	void lockOrder(String brandId, String orderId) {
		TransactionLocks.lock(this.jdbc, "shopify_orders/" + brandId + "/" + orderId);
	}

	/**
	 * Holds a refund (a refund held before stays as it was), and schedules its order's
	 * held-refund job ({@link HeldRefunds}) in the same transaction, unless it has one:
	 * due one {@code held-refund-interval} later (the order's webhook settles its refunds
	 * at once if it comes meanwhile), its first run settles what it can and sets it due
	 * when the order's reward is released.
	 */
	void holdRefund(String brandId, ShopifyPayloads.Refund refund, Instant now) {
		this.jobs.schedule(HeldRefunds.QUEUE, JobKey.of(brandId, refund.orderId()),
				now.plus(this.properties.heldRefundInterval()), null, IfScheduled.KEEP);
		this.jdbc.sql("""
				insert into shopify_held_refunds (brand_id, refund_id, order_id, refunded, received_at)
				values (:brand, :refund, :order, :refunded, :now)
				on conflict (brand_id, refund_id) do nothing
				""")
			.param("brand", brandId)
			.param("refund", refund.id())
			.param("order", refund.orderId())
			.param("refunded", refund.refunded(), Types.NUMERIC)
			.param("now", utc(now))
			.update();
	}

	/** The refunds held for an order, oldest first. */
	List<HeldRefund> heldRefunds(String brandId, String orderId) {
		return this.jdbc.sql("""
				select refund_id, refunded, received_at from shopify_held_refunds
				where brand_id = :brand and order_id = :order order by received_at, refund_id
				""")
			.param("brand", brandId)
			.param("order", orderId)
			.query((rs, row) -> new HeldRefund(
					new ShopifyPayloads.Refund(rs.getString("refund_id"), orderId, rs.getBigDecimal("refunded")),
					rs.getObject("received_at", OffsetDateTime.class).toInstant()))
			.list();
	}

	void releaseHeldRefund(String brandId, String refundId) {
		this.jdbc.sql("delete from shopify_held_refunds where brand_id = :brand and refund_id = :refund")
			.param("brand", brandId)
			.param("refund", refundId)
			.update();
	}

	private ShopifySettings settingsRow(ResultSet rs, int row) throws SQLException {
		return new ShopifySettings(rs.getString("brand_id"),
				this.sealer.open(SECRET_PURPOSE, rs.getString("webhook_secret")), rs.getString("order_topic"),
				rs.getString("event_type"), rs.getBoolean("enabled"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("updated_at", OffsetDateTime.class).toInstant());
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/** A webhook as received before. */
	record ReceivedWebhook(String topic, String outcome, @Nullable String eventId, @Nullable String note,
			Instant receivedAt) {
	}

	/**
	 * An order whose reward event was recorded, with the event's current state (a pending
	 * event may have been paid since).
	 */
	record StoredOrder(String orderId, String eventId, Identity identity, @Nullable BigDecimal total) {
	}

	record Reversal(String id, String eventId, BigDecimal refunded, long amount, long reversed) {
	}

	record ReversalTotals(BigDecimal refunded, long amount) {
	}

	record HeldRefund(ShopifyPayloads.Refund refund, Instant receivedAt) {
	}

}
