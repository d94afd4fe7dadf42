package bot.resonance.webhooks.internal;

import java.util.Arrays;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/**
 * The events Resonance sends to webhook endpoints, as the OpenAPI document's
 * {@code webhooks}: each with the catalogue's JSON Schema and example and the headers of
 * a delivery, so a generator can make the receiver's types too.
 */
@Component
class WebhookEventsOpenApi implements OpenApiCustomizer {

	static final String TAG = "Webhook events";

	private final WebhookCatalogue catalogue;

	WebhookEventsOpenApi(WebhookCatalogue catalogue) {
		this.catalogue = catalogue;
	}

	@Override
	public void customise(io.swagger.v3.oas.models.OpenAPI openApi) {
		openApi.addTagsItem(new Tag().name(TAG)
			.description("What Resonance POSTs to your webhook endpoints: one operation per event of the catalogue "
					+ "(GET /v1/webhook-events), signed the Standard Webhooks way (webhook-id, webhook-timestamp, "
					+ "webhook-signature) and with X-Signature. Answer 2xx; anything else is retried."));
		for (WebhookCatalogue.Entry entry : this.catalogue.all()) {
			openApi.addWebhooks(entry.name(), new PathItem().post(operation(entry)));
		}
	}

	private static Operation operation(WebhookCatalogue.Entry entry) {
		Object example = read(entry.shownExample().toString());
		Operation operation = new Operation().operationId(operationId(entry.name()))
			.summary(entry.name())
			.description(entry.description())
			.addTagsItem(TAG)
			.requestBody(new RequestBody().required(true)
				.content(new Content().addMediaType("application/json",
						new MediaType().schema(schema(entry.schema().toString())).example(example))))
			.responses(new ApiResponses().addApiResponse("2XX", new ApiResponse()
				.description("Received; any other answer (or none within the timeout) is retried")));
		header(operation, "webhook-id", "The message id; the same on every retry: deduplicate on it");
		header(operation, "webhook-timestamp", "When this attempt was signed, in Unix seconds");
		header(operation, "webhook-signature",
				"v1,<base64 HMAC-SHA256 of \"{webhook-id}.{webhook-timestamp}.{body}\">, "
						+ "keyed with the base64-decoded part of the endpoint's whsec_ secret; several, space-separated, "
						+ "during a secret rotation");
		header(operation, "X-Signature", "sha256=<hex HMAC-SHA256 of the raw body> with the endpoint's secret");
		header(operation, "X-Webhook-Id", "The webhook endpoint's id");
		header(operation, "X-Event", "The event name, " + entry.name());
		header(operation, "X-Attempt", "The attempt number, from 1");
		header(operation, "X-Idempotency-Key", "The delivery's id, stable across its retries");
		return operation;
	}

	private static void header(Operation operation, String name, String description) {
		operation.addParametersItem(
				new HeaderParameter().name(name).required(true).description(description).schema(new StringSchema()));
	}

	/** reward.earned becomes onRewardEarned. */
	static String operationId(String event) {
		return "on" + Arrays.stream(event.split("[._]"))
			.map((word) -> Character.toUpperCase(word.charAt(0)) + word.substring(1))
			.collect(Collectors.joining());
	}

	private static Schema<?> schema(String json) {
		try {
			ObjectNode schema = (ObjectNode) Json31.mapper().readTree(json);
			schema.remove("$schema"); // the document's dialect is JSON Schema 2020-12
										// already
			return Json31.mapper().treeToValue(schema, Schema.class);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("The webhook catalogue's schemas are JSON Schema", ex);
		}
	}

	private static com.fasterxml.jackson.databind.JsonNode read(String json) {
		try {
			return Json.mapper().readTree(json);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("The webhook catalogue's examples are JSON", ex);
		}
	}

}
