package bot.resonance.webhooks.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import bot.resonance.webhooks.DeliveryView;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of deliveries and their attempts for the management API, and its re-queueing. */
@Component
public class DeliveryQueries {

	private static final String COLUMNS = """
			d.id, d.endpoint_id, d.message_id, d.event, d.status, d.attempts, d.next_attempt_at, d.last_status,
			d.last_error, d.created_at, d.updated_at""";

	private final JdbcClient jdbc;

	DeliveryQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** An endpoint's deliveries, newest first, with their attempts. */
	public List<DeliveryView> list(String brandId, UUID endpointId, @Nullable String status, @Nullable String event,
			@Nullable String startingAfter, int limit) {
		List<DeliveryView> deliveries = this.jdbc.sql("""
				select %s from webhook_deliveries d
				where d.brand_id = :brand and d.endpoint_id = :endpoint
				  and (:status::text is null or d.status = :status::text)
				  and (:event::text is null or d.event = :event::text)
				  and (:after::text is null or d.id < :after::text)
				order by d.id desc
				limit :limit
				""".formatted(COLUMNS))
			.param("brand", brandId)
			.param("endpoint", endpointId)
			.param("status", status)
			.param("event", event)
			.param("after", startingAfter)
			.param("limit", limit)
			.query(DeliveryQueries::delivery)
			.list();
		return withAttempts(brandId, deliveries);
	}

	public Optional<DeliveryView> find(String brandId, UUID endpointId, String deliveryId) {
		List<DeliveryView> found = this.jdbc.sql("""
				select %s from webhook_deliveries d
				where d.brand_id = :brand and d.endpoint_id = :endpoint and d.id = :id
				""".formatted(COLUMNS))
			.param("brand", brandId)
			.param("endpoint", endpointId)
			.param("id", deliveryId)
			.query(DeliveryQueries::delivery)
			.list();
		return withAttempts(brandId, found).stream().findFirst();
	}

	/**
	 * Sends a finished delivery (dead, or succeeded) again from its first attempt;
	 * returns whether it was finished.
	 */
	public boolean requeue(String brandId, UUID endpointId, String deliveryId, boolean endpointActive, Instant now) {
		return this.jdbc.sql("""
				with requeued as (
				    update webhook_deliveries
				    set status = :status, attempts_base = attempts, next_attempt_at = :now, updated_at = :now
				    where brand_id = :brand and endpoint_id = :endpoint and id = :id and status in ('dead', 'succeeded')
				    returning brand_id, id, endpoint_id, status
				), queued as (
				    insert into webhook_queue (brand_id, delivery_id, endpoint_id, due_at)
				    select brand_id, id, endpoint_id, :now from requeued where status = 'pending'
				    on conflict (brand_id, delivery_id) do update set due_at = excluded.due_at
				)
				select count(*) from requeued
				""")
			.param("status", endpointActive ? "pending" : "held")
			.param("now", EndpointRepository.utc(now))
			.param("brand", brandId)
			.param("endpoint", endpointId)
			.param("id", deliveryId)
			.query(Integer.class)
			.single() == 1;
	}

	/** Sends every dead delivery of the endpoint created since {@code since} again. */
	public int recover(String brandId, UUID endpointId, Instant since, boolean endpointActive, Instant now) {
		return this.jdbc.sql("""
				with requeued as (
				    update webhook_deliveries
				    set status = :status, attempts_base = attempts, next_attempt_at = :now, updated_at = :now
				    where brand_id = :brand and endpoint_id = :endpoint and status = 'dead' and created_at >= :since
				    returning brand_id, id, endpoint_id, status
				), queued as (
				    insert into webhook_queue (brand_id, delivery_id, endpoint_id, due_at)
				    select brand_id, id, endpoint_id, :now from requeued where status = 'pending'
				    on conflict (brand_id, delivery_id) do update set due_at = excluded.due_at
				)
				select count(*) from requeued
				""")
			.param("status", endpointActive ? "pending" : "held")
			.param("now", EndpointRepository.utc(now))
			.param("brand", brandId)
			.param("endpoint", endpointId)
			.param("since", EndpointRepository.utc(since))
			.query(Integer.class)
			.single();
	}

	/**
	 * How many deliveries of each of the brand's endpoints created since {@code since}
	 * are in each status: endpoint id, status, count.
	 */
	public List<StatusCount> countByStatus(String brandId, Instant since) {
		return this.jdbc.sql("""
				select endpoint_id, status, count(*) as deliveries from webhook_deliveries
				where brand_id = :brand and created_at >= :since
				group by endpoint_id, status
				""")
			.param("brand", brandId)
			.param("since", EndpointRepository.utc(since))
			.query((rs, row) -> new StatusCount(rs.getObject("endpoint_id", UUID.class), rs.getString("status"),
					rs.getLong("deliveries")))
			.list();
	}

	/** Deliveries of an endpoint in a status. */
	public record StatusCount(UUID endpointId, String status, long deliveries) {
	}

	private List<DeliveryView> withAttempts(String brandId, List<DeliveryView> deliveries) {
		if (deliveries.isEmpty()) {
			return deliveries;
		}
		Map<String, List<DeliveryView.Attempt>> attempts = new HashMap<>();
		this.jdbc.sql("""
				select delivery_id, attempt, started_at, duration_ms, status_code, error, response_excerpt
				from webhook_attempts where brand_id = :brand and delivery_id = any(:ids::text[])
				order by delivery_id, attempt
				""")
			.param("brand", brandId)
			.param("ids", deliveries.stream().map(DeliveryView::deliveryId).toArray(String[]::new))
			.query((rs, row) -> attempts.computeIfAbsent(rs.getString("delivery_id"), (id) -> new ArrayList<>())
				.add(new DeliveryView.Attempt(rs.getInt("attempt"), EndpointRepository.instant(rs, "started_at"),
						rs.getInt("duration_ms"), (Integer) rs.getObject("status_code"), rs.getString("error"),
						rs.getString("response_excerpt"))))
			.list();
		return deliveries.stream()
			.map((d) -> new DeliveryView(d.deliveryId(), d.webhookId(), d.messageId(), d.event(), d.status(),
					d.attemptCount(), d.nextAttemptAt(), d.lastStatusCode(), d.lastError(), d.createdAt(),
					d.updatedAt(), attempts.getOrDefault(d.deliveryId(), List.of())))
			.toList();
	}

	private static DeliveryView delivery(ResultSet rs, int row) throws SQLException {
		String status = rs.getString("status");
		return new DeliveryView(rs.getString("id"), rs.getObject("endpoint_id", UUID.class), rs.getString("message_id"),
				rs.getString("event"), status, rs.getInt("attempts"),
				(status.equals("pending") || status.equals("held")) ? EndpointRepository.instant(rs, "next_attempt_at")
						: null,
				(Integer) rs.getObject("last_status"), rs.getString("last_error"),
				EndpointRepository.instant(rs, "created_at"), EndpointRepository.instant(rs, "updated_at"), List.of());
	}

}
