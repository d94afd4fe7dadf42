package bot.resonance.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.tags.Tag;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.TestBrand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document is generated from the code and matches what the API really sends.
 */
@IntegrationTest
class ApiDocsIntegrationTests extends IntegrationTestSupport {

	@Test
	void describesEveryApiWithTheWireNames() {
		ApiResponse docs = this.client.send("GET", "/v3/api-docs", null, Map.of());
		assertThat(docs.status()).isEqualTo(200);
		JsonNode paths = docs.json().get("paths");
		assertThat(paths.has("/v1/events")).isTrue();
		assertThat(paths.has("/v1/events/{event_id}")).isTrue();
		assertThat(paths.has("/v1/event-types/{event_type}")).isTrue();
		assertThat(paths.has("/v1/members/{member}")).isTrue();
		assertThat(paths.has("/v1/members/{member}/identities")).isTrue();
		assertThat(paths.has("/v1/webhooks/{webhook_id}/deliveries")).isTrue();
		assertThat(paths.has("/v1/incoming-webhooks")).isTrue();
		assertThat(paths.has("/admin/v1/brands/{brand_id}/wallet/credits")).isTrue();
		assertThat(paths.has("/error")).isFalse();
		JsonNode eventRequest = docs.json().path("components").path("schemas").path("EventRequest").path("properties");
		List<String> fields = new ArrayList<>(eventRequest.propertyNames());
		assertThat(fields).containsExactly("brand_id", "event_type", "user_id", "server_id", "amount", "metadata");
		assertThat(docs.json().path("components").path("securitySchemes").has("apiKey")).isTrue();
	}

	@Test
	void servesTheInteractiveUi() {
		assertThat(this.client.send("GET", "/swagger-ui/index.html", null, Map.of()).status()).isEqualTo(200);
		// The address the README and the start-up banner give.
		ApiResponse documented = this.client.send("GET", "/swagger-ui.html", null, Map.of());
		assertThat(documented.status()).isEqualTo(302);
		assertThat(documented.header("Location")).endsWith("/swagger-ui/index.html");
		ApiResponse yaml = this.client.send("GET", "/v3/api-docs.yaml", null, Map.of());
		assertThat(yaml.status()).isEqualTo(200);
		assertThat(parse(yaml.body()).getPaths()).containsKey("/v1/events");
	}

	@Test
	void reportsHealth() {
		ApiResponse health = this.client.send("GET", "/actuator/health", null, Map.of());
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().get("status").asString()).isEqualTo("UP");
		assertThat(this.client.send("GET", "/actuator/health/liveness", null, Map.of()).status()).isEqualTo(200);
		assertThat(this.client.send("GET", "/actuator/health/readiness", null, Map.of()).status()).isEqualTo(200);
	}

	@Test
	void isADocumentAClientGeneratorCanRelyOn() {
		JsonNode docs = this.client.send("GET", "/v3/api-docs", null, Map.of()).json();
		JsonNode schemes = docs.path("components").path("securitySchemes");
		assertThat(schemes.has("apiKey")).isTrue();
		assertThat(schemes.has("adminToken")).isTrue();
		assertThat(schemes.path("signature").path("type").asString()).isEqualTo("apiKey");
		assertThat(schemes.path("signature").path("in").asString()).isEqualTo("header");
		assertThat(schemes.path("signature").path("name").asString()).isEqualTo("X-Resonance-Signature");
		java.util.List<String> problems = new java.util.ArrayList<>();
		docs.path("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			String where = operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
			JsonNode op = operation.getValue();
			op.path("parameters").forEach((parameter) -> {
				if (parameter.path("name").asString().equals("caller")) {
					problems.add(where + ": the authenticated caller shows as a parameter");
				}
				if (!parameter.has("schema") && !parameter.has("content")) {
					problems.add(where + ": parameter " + parameter.path("name").asString() + " has no schema");
				}
			});
			String key = path.getKey();
			boolean open = key.startsWith("/resonance-api/") || key.startsWith("/discord/")
					|| key.startsWith("/v1/integrations/shopify/{") || key.startsWith("/hooks/");
			if (!open && op.path("security").isEmpty()) {
				problems.add(where + ": no security requirement");
			}
			boolean problemDocumented = false;
			for (var response : op.path("responses").properties()) {
				if (response.getKey().startsWith("4")
						&& response.getValue().path("content").has("application/problem+json")
						|| response.getKey().startsWith("4")
								&& response.getValue().path("content").has("application/json")
								&& (key.equals("/v1/events") || key.startsWith("/resonance-api/"))) {
					problemDocumented = true;
				}
			}
			if (!problemDocumented) {
				problems.add(where + ": no 4xx answer documented");
			}
		}));
		assertThat(problems).isEmpty();
		JsonNode events = docs.path("paths").path("/v1/events").path("post");
		assertThat(events.path("security").toString()).contains("signature");
		assertThat(docs.path("paths").path("/admin/v1/brands").path("post").path("security").toString())
			.contains("adminToken");
		assertThat(docs.path("paths").path("/v1/wallet").path("get").path("security").toString()).contains("apiKey");
	}

	/**
	 * Answers carry every field, {@code null} where there is no value: the document types
	 * those fields "or null" (a generated client must accept it) and the others not, and
	 * an event's metadata as the JSON value it is sent as.
	 */
	@Test
	void typesTheFieldsThatMayBeNullAsAnswersSendThem() {
		TestBrand brand = brandWith(1_000, "custom_event", Map.of("amount", 50));
		ApiResponse awarded = this.client.event(brand, Map.of("event_type", "custom_event", "user_id", newUserId(),
				"server_id", "987654321098765432", "metadata", Map.of("order", "A-1")));
		JsonNode event = this.client.get(brand, "/v1/events/" + awarded.text("event_id")).json();
		assertThat(event.get("error").isNull()).isTrue();
		assertThat(event.get("pending_reason").isNull()).isTrue();
		assertThat(event.get("metadata").isObject()).isTrue();

		JsonNode schemas = this.client.send("GET", "/v3/api-docs", null, Map.of())
			.json()
			.path("components")
			.path("schemas");
		JsonNode view = schemas.path("EventView").path("properties");
		assertThat(view.path("event_id").path("type").toString()).isEqualTo("\"string\"");
		assertThat(view.path("amount_awarded").path("type").toString()).isEqualTo("\"integer\"");
		assertThat(view.path("pending_reason").path("type").toString()).isEqualTo("[\"string\",\"null\"]");
		assertThat(view.path("new_balance").path("type").toString()).isEqualTo("[\"integer\",\"null\"]");
		assertThat(view.path("error").path("anyOf").toString()).contains("#/components/schemas/Error")
			.contains("\"null\"");
		assertThat(view.path("metadata").has("type")).as("any JSON value").isFalse();
		// Every field the answer sent is in the schema, and every null one may be null.
		event.properties().forEach((field) -> {
			assertThat(view.has(field.getKey())).as(field.getKey()).isTrue();
			if (field.getValue().isNull()) {
				assertThat(view.path(field.getKey()).toString()).as(field.getKey()).contains("\"null\"");
			}
		});
	}

	/**
	 * The whole document passes a real OpenAPI parser's validation, and every operation
	 * says what it does, what it answers and with which shapes, so a generated client and
	 * a reader get the same contract.
	 */
	@Test
	void isAValidDocumentWithEveryOperationDescribed() {
		OpenAPI openApi = parse(this.client.send("GET", "/v3/api-docs", null, Map.of()).body());
		List<String> problems = new ArrayList<>();
		Set<String> operationIds = new HashSet<>();
		Set<String> usedTags = new HashSet<>();
		Map<String, PathItem> items = new LinkedHashMap<>(openApi.getPaths());
		if (openApi.getWebhooks() != null) {
			openApi.getWebhooks().forEach((name, item) -> items.put("webhook " + name, item));
		}
		items.forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
			String where = method + " " + path;
			if (isBlank(operation.getSummary())) {
				problems.add(where + ": no summary");
			}
			if (isBlank(operation.getDescription())) {
				problems.add(where + ": no description");
			}
			// get_1, list_2: springdoc's way of making a repeated method name unique; a
			// generated client would name its methods so.
			if (isBlank(operation.getOperationId()) || !operationIds.add(operation.getOperationId())
					|| operation.getOperationId().matches(".*_\\d+")) {
				problems.add(where + ": operationId missing, not unique or numbered: " + operation.getOperationId());
			}
			if (operation.getParameters() != null) {
				operation.getParameters()
					.stream()
					.filter((parameter) -> isBlank(parameter.getDescription()))
					.forEach((parameter) -> problems
						.add(where + ": parameter " + parameter.getName() + " has no description"));
			}
			if (operation.getTags() == null || operation.getTags().isEmpty()) {
				problems.add(where + ": no tag");
			}
			else {
				usedTags.addAll(operation.getTags());
			}
			checkResponses(openApi, where, operation, problems);
			if (operation.getRequestBody() != null) {
				operation.getRequestBody().getContent().forEach((type, media) -> {
					if (!hasExample(openApi, media)) {
						problems.add(where + ": the " + type + " request body has no example");
					}
					Schema<?> body = resolve(openApi, media.getSchema());
					// The API's own request fields; the webhooks' payload schemas come
					// from the event catalogue, which describes what receivers need.
					if (!path.startsWith("webhook ") && body != null && body.getProperties() != null) {
						body.getProperties().forEach((name, property) -> {
							Schema<?> resolved = resolve(openApi, property);
							if (isBlank(property.getDescription())
									&& (resolved == null || isBlank(resolved.getDescription()))) {
								problems.add(where + ": request field " + name + " has no description");
							}
						});
					}
				});
			}
		}));
		Map<String, String> tagDescriptions = new HashMap<>();
		if (openApi.getTags() != null) {
			for (Tag tag : openApi.getTags()) {
				tagDescriptions.put(tag.getName(), tag.getDescription());
			}
		}
		usedTags.stream()
			.filter((tag) -> isBlank(tagDescriptions.get(tag)))
			.sorted()
			.forEach((tag) -> problems.add("tag " + tag + " has no description"));
		openApi.getComponents()
			.getSchemas()
			.keySet()
			.stream()
			.filter((name) -> name.equals("JsonNode"))
			.forEach((name) -> problems.add("a field typed JsonNode shows as Jackson's class, not as JSON"));
		assertThat(problems).isEmpty();
		assertThat(openApi.getInfo().getDescription()).contains("X-Resonance-Signature", "Bearer");
	}

	/**
	 * Every error answer with a status says its code and shows it: the credential's
	 * refusal on every operation that takes one, a malformed input wherever there is one,
	 * a missing resource wherever a path names one; and those are the codes the server
	 * really answers with.
	 */
	@Test
	void documentsEachErrorAnswersCodeAsTheServerSendsIt() {
		JsonNode docs = this.client.send("GET", "/v3/api-docs", null, Map.of()).json();
		List<String> problems = new ArrayList<>();
		docs.path("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			String where = operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
			JsonNode op = operation.getValue();
			JsonNode responses = op.path("responses");
			String security = op.path("security").toString();
			if ((security.contains("apiKey") || security.contains("adminToken")) && !responses.has("401")) {
				problems.add(where + ": no 401 answer");
			}
			if (path.getKey().contains("{") && !path.getKey().startsWith("/resonance-api/")
					&& !path.getKey().equals("/v1/events") && !responses.has("404")) {
				problems.add(where + ": names a resource but has no 404 answer");
			}
			responses.properties()
				.stream()
				.filter((response) -> response.getKey().matches("[45]\\d\\d"))
				.forEach((response) -> {
					JsonNode example = response.getValue()
						.path("content")
						.properties()
						.iterator()
						.next()
						.getValue()
						.path("example");
					String code = example.has("error") ? example.path("error").path("code").asString()
							: example.path("code").asString();
					if (code.isEmpty() || !response.getValue().path("description").asString().startsWith(code)) {
						problems.add(where + ": the " + response.getKey() + " answer shows no code it describes");
					}
					if (example.has("status")
							&& example.path("status").asInt() != Integer.parseInt(response.getKey())) {
						problems.add(where + ": the " + response.getKey() + " example has another status");
					}
				});
		}));
		assertThat(problems).isEmpty();
		TestBrand brand = this.client.createBrand();
		ApiResponse unauthorized = this.client.send("GET", "/v1/webhooks/" + java.util.UUID.randomUUID(), null,
				Map.of("Authorization", "Bearer rk_live_not_a_key"));
		assertThat(unauthorized.status()).isEqualTo(401);
		assertThat(unauthorized.text("code")).isEqualTo(documentedCode(docs, "/v1/webhooks/{webhook_id}", "get", 401));
		ApiResponse missing = this.client.get(brand, "/v1/webhooks/" + java.util.UUID.randomUUID());
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.text("code")).endsWith("not_found");
		ApiResponse malformed = this.client.send("POST", "/v1/webhooks", "{\"url\": ",
				Map.of("Authorization", "Bearer " + brand.apiKey(), "Content-Type", "application/json"));
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.text("code")).isEqualTo(documentedCode(docs, "/v1/webhooks", "post", 400));
		ApiResponse noToken = this.client.send("GET", "/admin/v1/brands/" + brand.brandId(), null, Map.of());
		assertThat(noToken.status()).isEqualTo(401);
		assertThat(noToken.text("code")).isEqualTo(documentedCode(docs, "/admin/v1/brands/{brand_id}", "get", 401));
	}

	/**
	 * Every success answer says what it holds: the generator's default "OK" tells a
	 * client author nothing.
	 */
	@Test
	void describesWhatEverySuccessAnswerHolds() {
		OpenAPI openApi = parse(this.client.send("GET", "/v3/api-docs", null, Map.of()).body());
		Map<String, PathItem> items = new LinkedHashMap<>(openApi.getPaths());
		if (openApi.getWebhooks() != null) {
			openApi.getWebhooks().forEach((name, item) -> items.put("webhook " + name, item));
		}
		List<String> problems = new ArrayList<>();
		items.forEach((path, item) -> item.readOperationsMap()
			.forEach((method, operation) -> operation.getResponses().forEach((code, response) -> {
				String description = response.getDescription();
				if (code.startsWith("2") && (isBlank(description) || description.strip().equalsIgnoreCase("OK"))) {
					problems.add(method + " " + path + " (" + operation.getOperationId() + "): the " + code
							+ " answer is described as \"" + description + "\"");
				}
			})));
		assertThat(problems).isEmpty();
	}

	/**
	 * Every example in the document (request and response bodies, schemas, parameters)
	 * fits the schema it illustrates, so examples cannot drift from the code.
	 */
	@Test
	void hasExamplesThatFitTheirSchemas() {
		JsonNode docs = this.client.send("GET", "/v3/api-docs", null, Map.of()).json();
		JsonNode schemas = docs.path("components").path("schemas");
		List<String> problems = new ArrayList<>();
		int[] checked = { 0 };
		ExampleCheck check = (where, example, schema) -> {
			checked[0]++;
			new ExampleValidator(schemas, problems).validate(where, example, schema);
		};
		schemas.properties().forEach((entry) -> {
			if (entry.getValue().has("example")) {
				check.run("schema " + entry.getKey(), entry.getValue().get("example"), entry.getValue());
			}
		});
		List<Map.Entry<String, JsonNode>> items = new ArrayList<>(docs.path("paths").properties());
		docs.path("webhooks")
			.properties()
			.forEach((webhook) -> items.add(Map.entry("webhook " + webhook.getKey(), webhook.getValue())));
		assertThat(docs.path("webhooks").has("reward.earned")).as("the outgoing webhooks are documented").isTrue();
		items.forEach((path) -> path.getValue().properties().forEach((operation) -> {
			String where = operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
			JsonNode op = operation.getValue();
			op.path("parameters").forEach((parameter) -> {
				if (parameter.has("example")) {
					check.run(where + " parameter " + parameter.path("name").asString(), parameter.get("example"),
							parameter.path("schema"));
				}
			});
			List<Map.Entry<String, JsonNode>> bodies = new ArrayList<>();
			op.path("requestBody")
				.path("content")
				.properties()
				.forEach((media) -> bodies.add(Map.entry("request", media.getValue())));
			op.path("responses")
				.properties()
				.forEach((response) -> response.getValue()
					.path("content")
					.properties()
					.forEach((media) -> bodies.add(Map.entry(response.getKey() + " answer", media.getValue()))));
			for (Map.Entry<String, JsonNode> body : bodies) {
				JsonNode media = body.getValue();
				if (media.has("example")) {
					check.run(where + " " + body.getKey(), media.get("example"), media.path("schema"));
				}
				media.path("examples")
					.properties()
					.forEach((example) -> check.run(where + " " + body.getKey() + " example " + example.getKey(),
							example.getValue().path("value"), media.path("schema")));
			}
		}));
		assertThat(problems).isEmpty();
		assertThat(checked[0]).as("examples checked").isGreaterThan(40);
	}

	@FunctionalInterface
	private interface ExampleCheck {

		void run(String where, JsonNode example, JsonNode schema);

	}

	/**
	 * Checks a JSON value against the subset of JSON Schema the generated document uses:
	 * $ref, type, properties, required, items, enum, additionalProperties. An absent
	 * optional field may also be sent as null, as the API takes it.
	 */
	private record ExampleValidator(JsonNode schemas, List<String> problems) {

		void validate(String where, JsonNode value, JsonNode schema) {
			JsonNode resolved = resolve(schema);
			if (value.isNull()) {
				return; // only reached for optional properties and free-form values
			}
			List<String> types = typesOf(resolved);
			if (!types.isEmpty() && types.stream().noneMatch((type) -> fits(value, type))) {
				this.problems.add(where + ": " + value + " is not a " + String.join(" or ", types));
				return;
			}
			if (resolved.has("enum")) {
				boolean listed = false;
				for (JsonNode allowed : resolved.get("enum")) {
					listed |= allowed.asString().equals(value.asString());
				}
				if (!listed) {
					this.problems.add(where + ": " + value + " is not one of " + resolved.get("enum"));
				}
			}
			if (value.isObject()) {
				JsonNode properties = resolved.path("properties");
				for (JsonNode required : resolved.path("required")) {
					if (!value.has(required.asString())) {
						this.problems.add(where + ": the required " + required.asString() + " is missing");
					}
				}
				boolean open = !resolved.has("properties") || resolved.has("additionalProperties");
				value.properties().forEach((field) -> {
					if (field.getValue().isNull()
							&& resolved.path("required").toString().contains("\"" + field.getKey() + "\"")
							&& !typesOf(resolve(properties.path(field.getKey()))).contains("null")) {
						this.problems.add(where + ": the required " + field.getKey() + " is null");
					}
					else if (properties.has(field.getKey())) {
						validate(where + "." + field.getKey(), field.getValue(), properties.get(field.getKey()));
					}
					else if (!open) {
						this.problems.add(where + ": " + field.getKey() + " is not a field of the schema");
					}
				});
			}
			if (value.isArray() && resolved.has("items")) {
				for (int i = 0; i < value.size(); i++) {
					validate(where + "[" + i + "]", value.get(i), resolved.get("items"));
				}
			}
		}

		private static List<String> typesOf(JsonNode schema) {
			List<String> types = new ArrayList<>();
			if (schema.path("type").isArray()) {
				schema.get("type").forEach((type) -> types.add(type.asString()));
			}
			else if (schema.has("type")) {
				types.add(schema.get("type").asString());
			}
			else if (schema.has("properties")) {
				types.add("object");
			}
			return types;
		}

		private static boolean fits(JsonNode value, String type) {
			return switch (type) {
				case "object" -> value.isObject();
				case "array" -> value.isArray();
				case "string" -> value.isString();
				case "integer" -> value.isIntegralNumber();
				case "number" -> value.isNumber();
				case "boolean" -> value.isBoolean();
				case "null" -> value.isNull();
				default -> true;
			};
		}

		private JsonNode resolve(JsonNode schema) {
			JsonNode current = schema;
			while (current.has("$ref")) {
				String ref = current.get("$ref").asString();
				current = this.schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
				if (current.isMissingNode()) {
					this.problems.add("dangling " + ref);
					return current;
				}
			}
			return current;
		}

	}

	/** The code the document's example shows for an operation's answer with a status. */
	private static String documentedCode(JsonNode docs, String path, String method, int status) {
		return docs.path("paths")
			.path(path)
			.path(method)
			.path("responses")
			.path(Integer.toString(status))
			.path("content")
			.path("application/problem+json")
			.path("example")
			.path("code")
			.asString();
	}

	private static OpenAPI parse(String document) {
		ParseOptions options = new ParseOptions();
		options.setResolve(false);
		SwaggerParseResult result = new OpenAPIParser().readContents(document, null, options);
		assertThat(result.getMessages()).as("the OpenAPI parser's messages").isEmpty();
		assertThat(result.getOpenAPI()).isNotNull();
		return result.getOpenAPI();
	}

	private static void checkResponses(OpenAPI openApi, String where, Operation operation, List<String> problems) {
		boolean success = false;
		for (var response : operation.getResponses().entrySet()) {
			String code = response.getKey();
			var content = response.getValue().getContent();
			boolean hasSchema = content != null && !content.isEmpty()
					&& content.values().stream().allMatch((media) -> media.getSchema() != null);
			if (code.startsWith("2")) {
				// 2XX: a webhook receiver's answer, whose body Resonance ignores.
				success |= code.equals("204") || code.equals("2XX") || hasSchema;
			}
			if ((code.startsWith("4") || code.startsWith("5")) && (!hasSchema
					|| content.values().stream().anyMatch((media) -> media.getSchema().get$ref() == null))) {
				problems.add(where + ": the " + code + " answer references no error schema");
			}
			if (isBlank(response.getValue().getDescription())) {
				problems.add(where + ": the " + code + " answer has no description");
			}
		}
		if (!success) {
			problems.add(where + ": no 2xx answer with a schema (or 204)");
		}
	}

	private static boolean hasExample(OpenAPI openApi, MediaType media) {
		if (media.getExample() != null || (media.getExamples() != null && !media.getExamples().isEmpty())) {
			return true;
		}
		Schema<?> schema = resolve(openApi, media.getSchema());
		return schema != null
				&& (schema.getExample() != null || (schema.getExamples() != null && !schema.getExamples().isEmpty()));
	}

	private static Schema<?> resolve(OpenAPI openApi, Schema<?> schema) {
		if (schema != null && schema.get$ref() != null) {
			String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
			return openApi.getComponents().getSchemas().get(name);
		}
		return schema;
	}

	private static boolean isBlank(String text) {
		return text == null || text.isBlank();
	}

}
