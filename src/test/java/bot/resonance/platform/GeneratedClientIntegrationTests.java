package bot.resonance.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import bot.resonance.support.ApiResponse;
import bot.resonance.support.IntegrationTest;
import bot.resonance.support.IntegrationTestSupport;
import bot.resonance.support.NpmPackages;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client generated from the OpenAPI document types the answers as they are sent: the
 * document goes through a real generator (openapi-typescript, installed from npm into
 * {@code target/} on first use) and code written against the generated types is checked
 * by the TypeScript compiler in strict mode. Code that handles the fields an answer sends
 * as {@code null} compiles; code that puts {@code null} where the API never sends it does
 * not.
 */
@IntegrationTest
class GeneratedClientIntegrationTests extends IntegrationTestSupport {

	private static final Path TOOLS = Path.of("target", "openapi-client-tools").toAbsolutePath();

	private static final List<String> PACKAGES = List.of("openapi-typescript@7.13.0", "typescript@5.9.3");

	@Test
	void aStrictlyTypedGeneratedClientAcceptsTheAnswersAsSent() throws Exception {
		Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "generated-client");
		ApiResponse docs = this.client.send("GET", "/v3/api-docs", null, Map.of());
		assertThat(docs.status()).isEqualTo(200);
		Files.writeString(work.resolve("api.json"), docs.body());
		NpmPackages.install(TOOLS, PACKAGES);

		Result generated = run(work, List.of(tool("openapi-typescript"), "api.json", "-o", "api.d.ts"));
		assertThat(generated.exit()).as(generated.output()).isZero();

		// What GET /v1/events/{event_id} answers for an awarded event: no error, no
		// pending reason, metadata as the object it was sent as.
		Files.writeString(work.resolve("client.ts"),
				"""
						import type { components } from "./api";
						type EventView = components["schemas"]["EventView"];
						const event: EventView = {
						  event_id: "evt_01HXYZ3NDEKTSV4RRFFQ69G5FAV", event_type: "custom_event", user_id: "123456789012345678",
						  server_id: null, amount: null, amount_awarded: 50, new_balance: 50, currency: "POINTS",
						  status: "awarded", error: null, pending_reason: null, process_after: null,
						  metadata: { order: "A-1" }, source: "api",
						  received_at: "2026-12-05T10:00:00Z", processed_at: "2026-12-05T10:00:00Z",
						};
						function balance(e: EventView): number {
						  return e.new_balance ?? 0;
						}
						function errorCode(e: EventView): string | undefined {
						  return e.error?.code;
						}
						export const summary = `${event.event_id} ${balance(event)} ${errorCode(event) ?? "none"}`;
						""");
		Result compiled = run(work, List.of(tool("tsc"), "--noEmit", "--strict", "client.ts"));
		assertThat(compiled.exit()).as(compiled.output()).isZero();

		// The compiler does check: an event id is never null.
		Files.writeString(work.resolve("wrong.ts"), """
				import type { components } from "./api";
				export const event: components["schemas"]["EventView"] = { event_id: null };
				""");
		Result refused = run(work, List.of(tool("tsc"), "--noEmit", "--strict", "wrong.ts"));
		assertThat(refused.exit()).as(refused.output()).isNotZero();
		assertThat(refused.output()).contains("wrong.ts").contains("error TS2322");
	}

	private static String tool(String name) {
		return TOOLS.resolve("node_modules/.bin/" + name).toString();
	}

	private static Result run(Path directory, List<String> command) throws IOException, InterruptedException {
		Path output = Files.createTempFile(Path.of("target").toAbsolutePath(), "client-tool", ".log");
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		if (!process.waitFor(5, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException(String.join(" ", command) + " did not finish within 5 minutes");
		}
		return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
	}

	private record Result(int exit, String output) {
	}

}
