package bot.resonance.support;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Common ground for {@link IntegrationTest}s: a client, the clock, unique Discord ids.
 */
public abstract class IntegrationTestSupport {

	private static final AtomicLong USER_IDS = new AtomicLong(100_000_000_000_000_000L);

	@LocalServerPort
	protected int port;

	@Autowired
	protected MutableClock clock;

	protected ResonanceClient client;

	@BeforeEach
	void createClient() {
		this.client = new ResonanceClient(this.port);
	}

	@AfterEach
	void letTimeFlow() {
		this.clock.resume();
	}

	/** A Discord user id no other test uses. */
	protected static String newUserId() {
		return Long.toString(USER_IDS.incrementAndGet());
	}

	/** An hour before the next UTC midnight that is still ahead of the shared clock. */
	protected Instant lateEvening() {
		Instant now = this.clock.instant();
		Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC)
			.plusDays(1)
			.atStartOfDay(ZoneOffset.UTC)
			.toInstant();
		Instant evening = midnight.minus(Duration.ofHours(1));
		return evening.isAfter(now) ? evening : evening.plus(Duration.ofDays(1));
	}

	/** A funded brand with {@code eventType} enabled with the given settings. */
	protected TestBrand brandWith(long funds, String eventType, Map<String, Object> settings) {
		TestBrand brand = this.client.createBrand(Map.of("name", "Test brand", "rate_limit_per_minute", 100_000));
		if (funds > 0) {
			this.client.fund(brand, funds);
		}
		Map<String, Object> enabled = new java.util.HashMap<>(settings);
		enabled.putIfAbsent("enabled", true);
		this.client.eventType(brand, eventType, enabled);
		return brand;
	}

}
