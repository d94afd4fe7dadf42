package bot.resonance.webhooks;

import java.time.Duration;
import java.util.List;

import bot.resonance.webhooks.internal.AddressRange;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of webhook delivery.
 *
 * @param retrySchedule the wait before each retry; a delivery gets one attempt more than
 * the schedule has entries, then it is DEAD (default: 5 attempts, 30s, 1m, 2m, 4m apart)
 * @param jitter the share of each wait drawn at random, so retries of many deliveries
 * spread out
 * @param connectTimeout how long to wait for the receiver to accept the connection
 * @param requestTimeout how long to wait for the receiver's answer
 * @param maxResponseSize how much of an answer is read; the rest is dropped
 * @param claimTimeout how long a node may hold a delivery it is sending before another
 * node may send it (only matters if the node dies)
 * @param maxInFlight deliveries a node sends at once
 * @param perEndpointConcurrency deliveries a node sends at once to one endpoint, so a
 * slow endpoint cannot hold up the others; an endpoint that times out or cannot be
 * reached gets fewer (half per failure, down to one) until it answers again (one more per
 * answer)
 * @param claimBatchSize deliveries claimed per round trip
 * @param pollInterval how often an idle node looks for due deliveries (new messages wake
 * it at once)
 * @param disableAfter how long an endpoint may fail without a single success before it is
 * disabled
 * @param retention how long deliveries, attempts and messages are kept
 * @param pruneInterval how often older ones are forgotten (once per interval across all
 * nodes)
 * @param secretGracePeriod how long a rotated-out signing secret still signs
 * @param allowedPrivateTargets address ranges (CIDR literals, e.g. {@code 127.0.0.0/8})
 * that endpoints may point to although they are in a special-purpose range (private,
 * loopback, link-local, documentation, NAT64, ...) or are this node's own addresses; an
 * allowed address that carries an IPv4 address must carry one that passes too; empty by
 * default
 * @param workerEnabled whether this node sends deliveries (a node that only takes API
 * traffic may leave it to others)
 * @param maxEndpointsPerBrand how many endpoints one brand may register (every event is
 * sent to each of them)
 * @param maxInFlightPerBrand deliveries a node sends at once for one brand, so a brand
 * whose endpoints are slow or never answer cannot take the node's whole
 * {@code maxInFlight} from the others (capped at {@code maxInFlight})
 * @param maxUnrecorded attempts a node may have made and not yet recorded (their outcome
 * is written in batches by one thread): past it the node claims nothing more until the
 * recording catches up, so a database too busy to record outcomes slows the sending down
 * instead of letting unrecorded attempts pile up in memory (each is sent again if the
 * node dies before recording it)
 */
@ConfigurationProperties("resonance.webhooks")
public record WebhookProperties(@DefaultValue( {
		"30s", "1m", "2m", "4m" }) List<Duration> retrySchedule, @DefaultValue("0.1") double jitter,
		@DefaultValue("5s") Duration connectTimeout, @DefaultValue("15s") Duration requestTimeout,
		@DefaultValue("64KB") DataSize maxResponseSize, @DefaultValue("2m") Duration claimTimeout,
		@DefaultValue("512") int maxInFlight, @DefaultValue("16") int perEndpointConcurrency,
		@DefaultValue("200") int claimBatchSize, @DefaultValue("1s") Duration pollInterval,
		@DefaultValue("5d") Duration disableAfter, @DefaultValue("30d") Duration retention,
		@DefaultValue("1h") Duration pruneInterval, @DefaultValue("24h") Duration secretGracePeriod,
		@DefaultValue("") List<String> allowedPrivateTargets, @DefaultValue("true") boolean workerEnabled,
		@DefaultValue("50") int maxEndpointsPerBrand, @DefaultValue("128") int maxInFlightPerBrand,
		@DefaultValue("2000") int maxUnrecorded){

	public WebhookProperties {
		// Checked when the setting is read, so a wrong one stops the start with its name
		// and what is wrong (Spring Boot's "APPLICATION FAILED TO START"), not a stack
		// trace from the bean that uses it.
		for (String range : allowedPrivateTargets) {
			if (!range.isBlank()) {
				try {
					AddressRange.parse(range.trim());
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("resonance.webhooks.allowed-private-targets: " + ex.getMessage()
							+ ". Give address ranges as CIDR literals, e.g. 127.0.0.0/8 or ::1/128 (names such as "
							+ "localhost are not looked up).");
				}
			}
		}
	}

	/** The attempts a delivery gets before it is DEAD. */
	public int maxAttempts() {
		return this.retrySchedule.size() + 1;
	}

}
