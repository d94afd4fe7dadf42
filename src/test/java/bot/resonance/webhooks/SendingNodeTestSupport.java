package bot.resonance.webhooks;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.MutableClock;
import bot.resonance.support.SecondNode;
import bot.resonance.webhooks.internal.DeliveryWorker;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * Tests in which one other node, with settings of its own, sends every delivery: the
 * shared node's delivery worker is stopped while they run, and started again after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SendingNodeTestSupport extends IntegrationTestSupport {

	@Autowired
	Environment environment;

	@Autowired
	MutableClock sharedClock;

	@Autowired
	DeliveryWorker worker;

	/** The node that sends the deliveries. */
	SecondNode node;

	/** The sending node's settings ({@code name=value}). */
	abstract String[] sendingNodeSettings();

	@BeforeAll
	void startSendingNode() {
		this.worker.stop();
		this.node = SecondNode.start(this.environment, this.sharedClock, sendingNodeSettings());
	}

	@AfterAll
	void stopSendingNode() {
		this.node.close();
		this.worker.start();
	}

}
