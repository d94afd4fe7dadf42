package bot.resonance.webhooks.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes messages and their deliveries, in the caller's transaction, in one statement;
 * the same statement wakes the delivery workers of every node when the transaction
 * commits.
 */
@Component
public class OutboxRepository {

	static final String DELIVERIES_CHANNEL = "resonance_webhook_deliveries";

	private final JdbcClient jdbc;

	OutboxRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void enqueue(List<Message> messages, List<Delivery> deliveries, Instant now) {
		if (deliveries.isEmpty()) {
			return;
		}
		this.jdbc
			.sql("""
					with messages as (
					    insert into webhook_messages (brand_id, id, event, body, created_at)
					    select t.brand_id, t.id, t.event, t.body, :now
					    from unnest(:mBrands::text[], :mIds::text[], :mEvents::text[], :mBodies::text[])
					         as t(brand_id, id, event, body)
					), deliveries as (
					    insert into webhook_deliveries
					        (brand_id, id, endpoint_id, message_id, event, status, attempts, next_attempt_at, created_at,
					         updated_at)
					    select t.brand_id, t.id, t.endpoint_id::uuid, t.message_id, t.event, t.status, 0, :now, :now, :now
					    from unnest(:dBrands::text[], :dIds::text[], :dEndpoints::text[], :dMessages::text[], :dEvents::text[],
					                :dStatuses::text[])
					         as t(brand_id, id, endpoint_id, message_id, event, status)
					), queued as (
					    insert into webhook_queue (brand_id, delivery_id, endpoint_id, due_at)
					    select t.brand_id, t.id, t.endpoint_id::uuid, :now
					    from unnest(:dBrands::text[], :dIds::text[], :dEndpoints::text[], :dStatuses::text[])
					         as t(brand_id, id, endpoint_id, status)
					    where t.status = 'pending'
					)
					select pg_notify(:channel, '')
					""")
			.param("mBrands", messages.stream().map(Message::brandId).toArray(String[]::new))
			.param("mIds", messages.stream().map(Message::id).toArray(String[]::new))
			.param("mEvents", messages.stream().map(Message::event).toArray(String[]::new))
			.param("mBodies", messages.stream().map(Message::body).toArray(String[]::new))
			.param("dBrands", deliveries.stream().map(Delivery::brandId).toArray(String[]::new))
			.param("dIds", deliveries.stream().map(Delivery::id).toArray(String[]::new))
			.param("dEndpoints", deliveries.stream().map((d) -> d.endpointId().toString()).toArray(String[]::new))
			.param("dMessages", deliveries.stream().map(Delivery::messageId).toArray(String[]::new))
			.param("dEvents", deliveries.stream().map(Delivery::event).toArray(String[]::new))
			.param("dStatuses", deliveries.stream().map(Delivery::status).toArray(String[]::new))
			.param("channel", DELIVERIES_CHANNEL)
			.param("now", EndpointRepository.utc(now))
			.query()
			.listOfRows();
	}

	/** Wakes every node's delivery workers when the current transaction commits. */
	public void wakeWorkers() {
		this.jdbc.sql("select pg_notify(:channel, '')").param("channel", DELIVERIES_CHANNEL).query().listOfRows();
	}

	/** A message to store: the exact body every endpoint receives. */
	public record Message(String brandId, String id, String event, String body) {
	}

	/**
	 * A delivery of a message to an endpoint.
	 *
	 * @param status {@code pending}, or {@code held} for a paused or disabled endpoint
	 */
	public record Delivery(String brandId, String id, UUID endpointId, String messageId, String event, String status) {
	}

}
