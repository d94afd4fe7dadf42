package bot.resonance.platform;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.Signing;
import bot.resonance.support.TestBrand;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and hostile input gets a clear 4xx with a JSON body, never a 500 or a stack
 * trace.
 */
@IntegrationTest
class HostileInputIntegrationTests extends IntegrationTestSupport {

	@Test
	void unknownPathsAndMethodsAreProblems() {
		ApiResponse unknown = this.client.send("GET", "/v1/nothing-here", null, Map.of());
		assertThat(unknown.status()).isIn(401, 404);
		assertJsonError(unknown);
		ApiResponse admin = this.client.admin("GET", "/admin/v1/nothing", null);
		assertThat(admin.status()).isEqualTo(404);
		assertThat(admin.problemCode()).isEqualTo("not_found");
		ApiResponse root = this.client.send("GET", "/", null, Map.of());
		assertThat(root.status()).isEqualTo(404);
		assertJsonError(root);
		ApiResponse method = this.client.admin("DELETE", "/admin/v1/brands", null);
		assertThat(method.status()).isEqualTo(405);
		assertThat(method.problemCode()).isEqualTo("method_not_allowed");
	}

	@Test
	void wrongContentTypesAreRefusedClearly() {
		ApiResponse xml = this.client.send("POST", "/admin/v1/brands", "<brand/>",
				Map.of("Authorization", "Bearer test-admin-token", "Content-Type", "application/xml"));
		assertThat(xml.status()).isEqualTo(415);
		assertThat(xml.problemCode()).isEqualTo("unsupported_media_type");
		assertThat(xml.text("detail")).contains("application/xml").contains("Content-Type: application/json");
		// What curl -d sends unless told otherwise.
		ApiResponse form = this.client.send("POST", "/admin/v1/brands", "{\"name\":\"x\"}", Map.of("Authorization",
				"Bearer test-admin-token", "Content-Type", "application/x-www-form-urlencoded"));
		assertThat(form.status()).isEqualTo(415);
		assertThat(form.text("detail")).contains("Content-Type: application/json");
	}

	@Test
	void aContentTypeThatIsAPatternIs415NotAServerError() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		for (String pattern : List.of("*/*", "application/*", "text/*", "*")) {
			ApiResponse member = this.client.send("PATCH", "/v1/members/123456789012345678", "{\"status\":\"active\"}",
					Map.of("Authorization", "Bearer " + brand.apiKey(), "Content-Type", pattern));
			assertThat(member.status()).as(pattern + ": " + member).isEqualTo(415);
			assertThat(member.problemCode()).isEqualTo("unsupported_media_type");
			assertThat(member.text("detail")).contains(pattern).contains("Content-Type: application/json");
			assertThat(member.text("request_id")).isEqualTo(member.header("X-Request-Id"));
		}
		ApiResponse brandCreated = this.client.send("POST", "/admin/v1/brands", "{\"name\":\"Pattern\"}",
				Map.of("Authorization", "Bearer test-admin-token", "Content-Type", "application/*"));
		assertThat(brandCreated.status()).isEqualTo(415);
		ApiResponse noType = this.client.send("POST", "/admin/v1/brands", "{\"name\":\"Pattern\"}",
				Map.of("Authorization", "Bearer test-admin-token", "Content-Type", "*/json"));
		assertThat(noType.status()).isEqualTo(415);
		assertThat(noType.text("detail")).contains("*/json is not a media type")
			.contains("Content-Type: application/json");
		// Endpoints that read the signed bytes as they came do not look at the type.
		assertThat(this.client.event(brand, "custom_event", "123456789012345678").status()).isEqualTo(200);
	}

	/**
	 * A form sent with PUT, PATCH or DELETE is not parsed ahead of the handler, so a
	 * malformed one (a bad percent-escape) is refused as the wrong content type, or not
	 * read at all, never answered 500.
	 */
	@Test
	void formsSentWithPutPatchOrDeleteAreNotParsedAheadOfTheirHandler() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		Map<String, String> form = Map.of("Authorization", "Bearer " + brand.apiKey(), "Content-Type",
				"application/x-www-form-urlencoded");
		String malformed = "status=disabled&x=%ZZ";
		for (String[] call : List.of(new String[] { "PATCH", "/v1/members/123456789012345678" },
				new String[] { "PUT", "/v1/members/123456789012345678/referrer" },
				new String[] { "PUT", "/v1/event-types/custom_event" })) {
			ApiResponse response = this.client.send(call[0], call[1], malformed, form);
			assertThat(response.status()).as(call[0] + " " + call[1] + ": " + response).isEqualTo(415);
			assertThat(response.problemCode()).isEqualTo("unsupported_media_type");
		}
		ApiResponse delete = this.client.send("DELETE", "/v1/incoming-webhooks/00000000-0000-0000-0000-000000000000",
				malformed, form);
		assertThat(delete.status()).as(delete.toString()).isEqualTo(404);
		ApiResponse admin = this.client.send("DELETE", "/admin/v1/brands/" + brand.brandId() + "/guilds/1", malformed,
				Map.of("Authorization", "Bearer test-admin-token", "Content-Type",
						"application/x-www-form-urlencoded"));
		assertThat(admin.status()).as(admin.toString()).isEqualTo(404);
		assertThat(admin.problemCode()).isEqualTo("guild_not_found");
	}

	/**
	 * A query string that is not percent-encoded UTF-8, or a portal form the container
	 * cannot decode, is refused before anything reads a parameter: the container fails
	 * the first reader of such a parameter (a page's template, a handler's argument), and
	 * only the first on each server, so what the answer would be otherwise depended on
	 * which request came first.
	 */
	@Test
	void queryStringsAndPortalFormsThatDoNotDecodeAre400() throws Exception {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		for (String query : List.of("next=%ZZ", "next=%FF", "error=1&x=%C3%28", "next=%")) {
			String page = rawRequest("GET /portal/sign-in?" + query
					+ " HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
			assertThat(page).as(query).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: text/html");
			String api = rawRequest(
					"GET /v1/incoming-webhooks?limit=1&" + query + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
							+ brand.apiKey() + "\r\nConnection: close\r\n\r\n");
			assertThat(api).as(query)
				.startsWith("HTTP/1.1 400")
				.contains("\"code\":\"invalid_request\"")
				.contains("query string");
		}
		String accented = rawRequest("GET /portal/sign-in?next=%2Fportal%3Fq%3Dcaf%C3%A9"
				+ " HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
		assertThat(accented).startsWith("HTTP/1.1 200");
		ApiResponse form = this.client.send("POST", "/portal/sign-in", "email=a%ZZ%40x.com&password=secretsecret",
				Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html"));
		assertThat(form.status()).as(form.toString()).isEqualTo(400);
		assertThat(form.header("Content-Type")).startsWith("text/html");
	}

	/**
	 * Parameters the container refuses (one without a name, more than it reads) fail
	 * whoever reads the first parameter: they are refused before anything does, in the
	 * query string, and answered 400 when a form body holds them.
	 */
	@Test
	void parametersWithoutANameOrTooManyAre400() throws Exception {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		String tooMany = String.join("&", java.util.Collections.nCopies(1001, "p=1"));
		for (String query : List.of("=", "=x", "a=1&=", tooMany)) {
			for (String target : List.of("/actuator/health?", "/v1/webhooks?", "/portal/operator/sign-in?",
					"/portal/sign-in?")) {
				String answer = rawRequest("GET " + target + query + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
						+ brand.apiKey() + "\r\nConnection: close\r\n\r\n");
				assertThat(answer).as(target + query.substring(0, Math.min(query.length(), 10)))
					.startsWith("HTTP/1.1 400")
					.doesNotContain("internal_error");
			}
		}
		for (String body : List.of("=x", tooMany)) {
			ApiResponse webhooks = this.client.send("POST", "/v1/webhooks", body, Map.of("Authorization",
					"Bearer " + brand.apiKey(), "Content-Type", "application/x-www-form-urlencoded"));
			assertThat(webhooks.status()).as(webhooks.toString()).isEqualTo(400);
			assertThat(webhooks.problemCode()).isEqualTo("invalid_request");
			ApiResponse interactions = this.client.send("POST", "/discord/interactions", body,
					Map.of("Content-Type", "application/x-www-form-urlencoded"));
			assertThat(interactions.status()).as(interactions.toString()).isBetween(400, 499);
			ApiResponse admin = this.client.send("POST", "/admin/v1/brands", body, Map.of("Authorization",
					"Bearer test-admin-token", "Content-Type", "application/x-www-form-urlencoded"));
			assertThat(admin.status()).as(admin.toString()).isEqualTo(400);
		}
	}

	/**
	 * What nobody answers is a 404 problem written at once, with nothing in the log: a
	 * path of two slashes (no URI reference as it is), and unparseable Accept headers.
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void oddPathsAndAcceptHeadersNobodyAnswersAre404WithoutAWarning(CapturedOutput output) throws Exception {
		int before = output.getAll().length();
		String slashes = rawRequest("GET // HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
		assertThat(slashes).startsWith("HTTP/1.1 404").contains("\"instance\":\"/\"");
		for (String accept : List.of(";;;", "/", "a/b/c", "application/json;q=abc",
				"application/json; charset=ebcdic")) {
			ApiResponse nothing = this.client.send("GET", "/nothing-here", null, Map.of("Accept", accept));
			assertThat(nothing.status()).as(accept).isEqualTo(404);
		}
		assertThat(output.getAll().substring(before)).doesNotContain(" WARN ").doesNotContain(" ERROR ");
	}

	/**
	 * A credential, a signature, an idempotency key or a body's type sent twice is
	 * refused whichever value comes first: a proxy in front may have checked the other
	 * one. Headers that are lists may repeat.
	 */
	@Test
	void headersThatMayAppearOnceAreRefusedWhenRepeated() throws Exception {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		String key = brand.apiKey();
		for (String pair : List.of(key + "|wrong", "wrong|" + key, key + "|" + key)) {
			String[] keys = pair.split("\\|");
			String answer = rawRequest("GET /v1/wallet HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + keys[0]
					+ "\r\nauthorization: Bearer " + keys[1] + "\r\nConnection: close\r\n\r\n");
			assertThat(answer).as(pair)
				.startsWith("HTTP/1.1 400")
				.contains("invalid_request")
				.contains("The header Authorization is sent more than once");
		}
		String body = "{\"brand_id\":\"" + brand.brandId()
				+ "\",\"event_type\":\"custom_event\",\"user_id\":\"123456789012345678\",\"server_id\":\"987654321098765432\"}";
		String signed = "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
				+ "X-Resonance-Signature: " + Signing.hex(Signing.hmac(brand.secretKey(), body.getBytes()))
				+ "\r\nIdempotency-Key: k0\r\n";
		String end = "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
		for (String header : List.of("X-Resonance-Signature: 00", "Idempotency-Key: k1", "content-type: text/plain")) {
			assertThat(rawRequest(signed + header + "\r\n" + end)).as(header)
				.startsWith("HTTP/1.1 400")
				.contains("is sent more than once");
		}
		assertThat(rawRequest(signed + end)).startsWith("HTTP/1.1 200").contains("awarded");
		String lists = rawRequest("GET /v1/wallet HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
				+ "\r\nAccept: application/json\r\nAccept: */*\r\nX-Other: 1\r\nX-Other: 2\r\n"
				+ "Connection: close\r\n\r\n");
		assertThat(lists).startsWith("HTTP/1.1 200");
	}

	/**
	 * A transfer coding Tomcat does not know is 501 (RFC 9112, section 6.1) saying so,
	 * not the 405 that stands for CONNECT.
	 */
	@Test
	void anUnknownTransferCodingIs501NotAMethodRefusal() throws Exception {
		for (String coding : List.of("foo", "identity", "gzip, chunked")) {
			String answer = rawRequest("POST /v1/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding
					+ "\r\nConnection: close\r\n\r\n");
			assertThat(answer).as(coding)
				.startsWith("HTTP/1.1 501")
				.contains("Transfer-Encoding " + coding + " is not supported")
				.doesNotContainIgnoringCase("Allow:");
		}
		assertThat(rawRequest("CONNECT x:443 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
			.startsWith("HTTP/1.1 405");
	}

	/**
	 * Every answer, the API's, the container's and the portal's, tells browsers not to
	 * guess its type: problem documents repeat what a request sent.
	 */
	@Test
	void everyAnswerSaysNosniffOnce() throws Exception {
		for (String request : List.of("GET /v1/nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
				"POST /hooks/x/y HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\n<",
				"GET /v1/wallet HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n",
				"GET /portal/sign-in HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
				"GET /actuator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) {
			String answer = rawRequest(request);
			String head = answer.substring(0, answer.indexOf("\r\n\r\n"));
			assertThat(head.split("\r\n")).as(request.substring(0, request.indexOf(" HTTP")))
				.filteredOn((line) -> line.toLowerCase(java.util.Locale.ROOT).startsWith("x-content-type-options:"))
				.containsExactly("X-Content-Type-Options: nosniff");
		}
	}

	@Test
	void blankStringsAreNotMissingNumbersOrFlags() {
		ApiResponse rateLimit = this.client.admin("POST", "/admin/v1/brands",
				"{\"name\":\"Blank\",\"rate_limit_per_minute\":\"   \"}");
		assertThat(rateLimit.status()).as(rateLimit.toString()).isEqualTo(400);
		assertThat(rateLimit.text("detail")).contains("rate_limit_per_minute");
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		ApiResponse enabled = this.client.api(brand, "POST", "/v1/webhooks",
				"{\"url\":\"http://127.0.0.1:9/x\",\"enabled\":\"   \"}");
		assertThat(enabled.status()).as(enabled.toString()).isEqualTo(400);
		assertThat(enabled.text("detail")).contains("enabled");
		ApiResponse description = this.client.api(brand, "POST", "/v1/webhooks",
				"{\"url\":\"http://127.0.0.1:9/x\",\"description\":\"   \"}");
		assertThat(description.status()).as(description.toString()).isEqualTo(400);
		assertThat(description.text("detail")).contains("description");
		assertThat(this.client.get(brand, "/v1/webhooks").body()).doesNotContain("127.0.0.1:9");
	}

	@Test
	void methodsNoEndpointHasAre405WithTheMethodsThereAre() throws Exception {
		for (String method : List.of("CONNECT", "PROPFIND", "BREW")) {
			String answer = rawRequest(method + " /v1/wallet HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
			assertThat(answer).as(method)
				.startsWith("HTTP/1.1 405")
				.containsPattern("(?i)Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
				.contains("\"code\":\"method_not_allowed\"")
				.contains("The method " + method + " is not supported")
				.containsPattern("\"request_id\":\"req_\\w+\"")
				.doesNotContain("internal_error");
		}
	}

	@Test
	void pathsWithDotSegmentsAreRefused() throws Exception {
		for (String path : List.of("/hooks/x/../../admin/v1/brands", "/v1/./wallet", "/v1/%2e%2e/v1/wallet",
				"/v1/..;/wallet", "/portal/../x")) {
			String answer = rawRequest(
					"POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
			assertThat(answer).as(path).startsWith("HTTP/1.1 400").containsPattern("(?i)X-Request-Id: req_\\w+");
			if (!path.startsWith("/portal")) {
				assertThat(answer).as(path).contains("\"code\":\"invalid_request\"");
			}
		}
		String named = rawRequest("GET /v1/../v1/wallet HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
		assertThat(named).contains(". or .. segments");
		// A dot inside a segment is just a character.
		assertThat(this.client.send("GET", "/v1/members/a..b@example.com", null, Map.of()).status()).isEqualTo(401);
	}

	@Test
	void anHttpVersionNotSupportedIsNotAnInternalError() throws Exception {
		String answer = rawRequest("GET /v1/wallet HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n");
		assertThat(answer).startsWith("HTTP/1.1 505")
			.contains("\"code\":\"http_version_not_supported\"")
			.doesNotContain("internal_error");
	}

	@Test
	void answersTheContainerGivesBeforeAnyFilterCarryARequestId() throws Exception {
		for (String raw : List.of("TRACE /v1/wallet HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
				"GET /WEB-INF/web.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
				"GET /META-INF/MANIFEST.MF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) {
			String answer = rawRequest(raw);
			assertThat(answer).as(raw)
				.startsWith("HTTP/1.1 4")
				.containsPattern("(?i)X-Request-Id: req_\\w+")
				.containsPattern("\"request_id\":\"req_\\w+\"");
		}
		String trace = rawRequest("TRACE /v1/wallet HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
		assertThat(trace).startsWith("HTTP/1.1 405")
			.containsPattern("(?i)Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n");
	}

	@Test
	void aPortalFormWithANulIsRefusedBeforeAnythingReadsIt() {
		ApiResponse signIn = this.client.send("POST", "/portal/sign-in", "email=a%00%40x.com&password=secretsecret",
				Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html"));
		assertThat(signIn.status()).as(signIn.toString()).isEqualTo(400);
		assertThat(signIn.header("Content-Type")).startsWith("text/html");
		assertThat(signIn.body()).contains("NUL").contains(signIn.header("X-Request-Id"));
		// The text "%00" typed into a field is a value like any other.
		ApiResponse typed = this.client.send("POST", "/portal/sign-in", "email=a%2500%40x.com&password=secretsecret",
				Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html"));
		assertThat(typed.status()).as(typed.toString()).isNotIn(400, 500);
	}

	@Test
	void oversizedManagementBodiesAre413() {
		String huge = "{\"name\":\"" + "x".repeat(2_000_000) + "\"}";
		ApiResponse response = this.client.admin("POST", "/admin/v1/brands", huge);
		assertThat(response.status()).isEqualTo(413);
		assertThat(response.problemCode()).isEqualTo("payload_too_large");
	}

	@Test
	void deeplyNestedJsonIsRefused() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		String nested = "{\"brand_id\":\"" + brand.brandId() + "\",\"metadata\":" + "{\"a\":".repeat(5_000) + "1"
				+ "}".repeat(5_000) + "}";
		ApiResponse response = this.client.signedEvent(brand, nested, Map.of());
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.errorCode()).isEqualTo("INVALID_REQUEST");
	}

	@Test
	void randomBodiesOnEveryWritingEndpointNeverCauseA500() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		String hook = this.client.api(brand, "POST", "/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/x\"}").text("id");
		Random random = new Random(11);
		List<String> paths = List.of("/v1/members/123/identities", "/v1/members/123/referrer",
				"/resonance-api/manual-event", "/resonance-api/debug", "/v1/webhooks", "/v1/webhooks/" + hook,
				"/v1/webhooks/" + hook + "/recover", "/v1/webhooks/" + hook + "/test", "/v1/webhook-settings",
				"/v1/incoming-webhooks", "/v1/integrations/shopify", "/v1/integrations/shopify/" + brand.brandId(),
				"/admin/v1/brands/" + brand.brandId());
		List<String> methods = List.of("POST", "PUT", "PATCH");
		for (int i = 0; i < 200; i++) {
			byte[] body = new byte[random.nextInt(300)];
			random.nextBytes(body);
			if (i % 2 == 0) {
				body = mangledJson(random, brand).getBytes(StandardCharsets.UTF_8);
			}
			String path = paths.get(random.nextInt(paths.size()));
			String auth = path.startsWith("/admin") ? "Bearer test-admin-token" : "Bearer " + brand.apiKey();
			ApiResponse response = this.client.sendBytes(methods.get(random.nextInt(methods.size())), path, body,
					Map.of("Authorization", auth, "Content-Type", "application/json", "X-Brand-Id", brand.brandId(),
							"X-Resonance-Signature", "a".repeat(64), "X-Shopify-Hmac-Sha256", "AAAA"));
			assertThat(response.status()).as(path + " " + response).isLessThan(500);
			if (response.status() >= 400) {
				assertJsonError(response);
			}
		}
	}

	@Test
	void randomBytesNeverCauseA500() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		Random random = new Random(7);
		List<String> paths = List.of("/v1/events", "/admin/v1/brands", "/v1/event-types/custom_event",
				"/admin/v1/brands/" + brand.brandId() + "/wallet/credits", "/v1/members/123");
		List<String> methods = List.of("POST", "PUT", "PATCH");
		for (int i = 0; i < 150; i++) {
			byte[] body = new byte[random.nextInt(300)];
			random.nextBytes(body);
			if (i % 3 == 0) {
				body = mangledJson(random, brand).getBytes(StandardCharsets.UTF_8);
			}
			String path = paths.get(random.nextInt(paths.size()));
			String auth = path.startsWith("/admin") ? "Bearer test-admin-token" : "Bearer " + brand.apiKey();
			ApiResponse response = this.client.sendBytes(methods.get(random.nextInt(methods.size())), path, body,
					Map.of("Authorization", auth, "Content-Type", "application/json", "X-Resonance-Signature",
							"a".repeat(64)));
			assertThat(response.status()).as(path + " " + response).isBetween(400, 499);
			assertJsonError(response);
		}
	}

	@Test
	void malformedHttpIsAnsweredWithoutStackTraces() throws Exception {
		for (String raw : List.of("GET /v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
				"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
				"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
				"POST /v1/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")) {
			String answer = rawRequest(raw);
			assertThat(answer).startsWith("HTTP/1.1 4");
			assertThat(answer).doesNotContain("Exception").doesNotContain("at org.").doesNotContain("Tomcat/");
		}
		String badPath = rawRequest("GET /v1/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
		assertThat(badPath).startsWith("HTTP/1.1 400")
			.contains("application/problem+json")
			.contains("\"code\":\"invalid_request\"")
			.contains("check the path for invalid characters")
			.containsPattern("(?i)X-Request-Id: req_\\w+")
			.containsPattern("\"request_id\":\"req_\\w+\"")
			.doesNotContain("<html");
		// Headers over the limit: the same answer, which says what to look at.
		String tooLarge = rawRequest("GET /admin/v1/brands HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(9_000)
				+ "\r\nConnection: close\r\n\r\n");
		assertThat(tooLarge).startsWith("HTTP/1.1 400")
			.contains("\"code\":\"invalid_request\"")
			.contains("headers within the size limit")
			.doesNotContain("Exception");
	}

	@Test
	void everyProblemNamesItsRequestAndPath() {
		// Answered by filters (authentication, idempotency) as by controllers.
		ApiResponse denied = this.client.send("GET", "/admin/v1/brands", null, Map.of("Authorization", "Bearer no"));
		assertThat(denied.status()).isEqualTo(401);
		assertThat(denied.text("instance")).isEqualTo("/admin/v1/brands");
		assertThat(denied.text("request_id")).startsWith("req_");
		ApiResponse invalid = this.client.admin("POST", "/admin/v1/brands", "{\"name\":\"\"}");
		assertThat(invalid.text("instance")).isEqualTo("/admin/v1/brands");
	}

	@Test
	void errorsNeverLeakInternals() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of());
		for (ApiResponse response : List.of(this.client.admin("POST", "/admin/v1/brands", "{\"name\":"),
				this.client.api(brand, "PUT", "/v1/event-types/custom_event", "{\"amount\":1e400}"),
				this.client.get(brand, "/v1/members/" + "9".repeat(30)),
				this.client.admin("GET", "/admin/v1/brands/%00", null))) {
			assertThat(response.status()).as(response.toString()).isBetween(400, 499);
			assertThat(response.body()).doesNotContain("Exception")
				.doesNotContain("tools.jackson")
				.doesNotContain("org.springframework")
				.doesNotContain("SQL");
		}
	}

	private static String mangledJson(Random random, TestBrand brand) {
		String[] values = { "null", "true", "-1", "1e99", "\"\"", "[]", "{}", "\"\\u0000\"", "99999999999999999999",
				"\"" + brand.brandId() + "\"" };
		String[] fields = { "brand_id", "event_type", "user_id", "server_id", "amount", "metadata", "name",
				"rate_limit_per_minute", "enabled", "status" };
		StringBuilder json = new StringBuilder("{");
		int n = random.nextInt(6);
		for (int i = 0; i < n; i++) {
			if (i > 0) {
				json.append(',');
			}
			json.append('"')
				.append(fields[random.nextInt(fields.length)])
				.append("\":")
				.append(values[random.nextInt(values.length)]);
		}
		return json.append(random.nextBoolean() ? "}" : "").toString();
	}

	private String rawRequest(String request) throws Exception {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(5_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			socket.shutdownOutput();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

	private static void assertJsonError(ApiResponse response) {
		String contentType = response.header("Content-Type");
		assertThat(contentType).as(response.toString()).isNotNull();
		assertThat(contentType).containsAnyOf("application/json", "application/problem+json");
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
	}

}
