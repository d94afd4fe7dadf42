package bot.resonance.rewards;

import java.util.Map;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.ResonanceClient;
import bot.resonance.support.TestBrand;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class EventApiSmokeIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void awardsASignedEvent() {
		ResonanceClient client = new ResonanceClient(this.port);
		TestBrand brand = client.createBrand();
		client.fund(brand, 1000);
		client.eventType(brand, "custom_event", Map.of("enabled", true, "amount", 50));
		ApiResponse response = client.event(brand, "custom_event", "123456789012345678");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("amount_awarded").asLong()).isEqualTo(50);
		assertThat(response.json().get("new_balance").asLong()).isEqualTo(50);
	}

}
