import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Reward a customer from a Java backend (JDK 11+, no dependencies). */
public class ManualEvent {

	public static void main(String[] args) throws Exception {
		String email = System.getenv("EMAIL");
		String body = "{\"event\":\"place_order\",\"email\":\"" + email
				+ "\",\"metadata\":{\"order_id\":\"ORD-12345\",\"total\":89.99}}";
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(System.getenv("SECRET_KEY").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		String signature = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
		HttpRequest request = HttpRequest.newBuilder(URI.create(System.getenv("RESONANCE_URL") + "/resonance-api/manual-event"))
			.header("Content-Type", "application/json")
			.header("X-Brand-Id", System.getenv("BRAND_ID"))
			.header("X-Resonance-Signature", signature)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		System.out.println("{\"status\":" + response.statusCode() + ",\"body\":" + response.body() + "}");
	}

}
