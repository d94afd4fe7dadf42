package bot.resonance.rewards.internal.ingest;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the event pipeline.
 *
 * @param lanes how many batches run at once on this node; a brand always uses the same
 * lane, so its events are processed in arrival order
 * @param maxBatchSize the most events grouped into one transaction
 * @param queueCapacity how many events may wait per lane before the API answers 503
 * @param maxQueuedPerBrand how many of one brand's events may wait on this node before
 * the API answers it {@code 429 RATE_LIMITED}, so one brand cannot fill a lane
 * @param maxEventSize the largest event request body accepted ({@code 413} beyond)
 * @param requestTimeout how long a request waits for its batch before answering 503
 * @param pendingPollInterval how often each node looks for pending events that came due
 * @param pendingClaimTimeout how long a node may hold due events before another node may
 * take them over (only matters if it dies)
 * @param pendingBatchSize how many due events a node takes at a time
 * @param pipelineDepth how many batches of one lane may be in flight at once: with 2, the
 * next batch is taken off the lane and started while the one before commits (it waits for
 * that commit for its brands' locks, so each brand's events keep their order); 1
 * processes a lane's batches strictly one after the other
 * @param yieldToDeliveriesAfter how far a brand's webhook deliveries on this node may
 * fall behind (how long the ones the node sends had been due) before the brand's new
 * events are held back to let them catch up; {@code 0} never holds back
 * @param maxYield the longest one event is held back: events still come in however far
 * behind the deliveries are
 */
@ConfigurationProperties("resonance.rewards")
public record RewardsProperties(@DefaultValue("0") int lanes, @DefaultValue("256") int maxBatchSize,
		@DefaultValue("20000") int queueCapacity, @DefaultValue("5000") int maxQueuedPerBrand,
		@DefaultValue("64KB") DataSize maxEventSize, @DefaultValue("30s") Duration requestTimeout,
		@DefaultValue("15s") Duration pendingPollInterval, @DefaultValue("5m") Duration pendingClaimTimeout,
		@DefaultValue("500") int pendingBatchSize, @DefaultValue("1") int pipelineDepth,
		@DefaultValue("500ms") Duration yieldToDeliveriesAfter, @DefaultValue("1s") Duration maxYield) {

	/** Whether deliveries {@code lag} behind hold new events back. */
	public boolean yieldsTo(Duration lag) {
		return this.yieldToDeliveriesAfter.isPositive() && lag.compareTo(this.yieldToDeliveriesAfter) > 0;
	}

	/** The number of lanes to run: as configured, or one per processor. */
	public int effectiveLanes() {
		return (this.lanes > 0) ? this.lanes : Math.max(1, Runtime.getRuntime().availableProcessors());
	}

}
