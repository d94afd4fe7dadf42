package bot.resonance.discord.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import bot.resonance.discord.Answer;
import bot.resonance.discordapi.DiscordClient;
import bot.resonance.discordapi.DiscordResult;
import bot.resonance.platform.web.ApiException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Finishes deferred answers: runs their work after Discord was told the answer is coming,
 * then replaces the "thinking…" message through the interaction's webhook ({@code PATCH
 * /webhooks/{application_id}/{token}/messages/@original}). Work that fails is answered
 * with what went wrong; an edit Discord does not know yet (it had not seen the deferral)
 * is tried again briefly.
 */
@Component
class DeferredAnswers implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(DeferredAnswers.class);

	private static final int UNKNOWN_WEBHOOK = 10015;

	private static final int ATTEMPTS = 4;

	private final DiscordClient discord;

	private final JsonMapper json;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	/** At most this many deferred answers run at once; more wait their turn. */
	private final Semaphore running = new Semaphore(64);

	DeferredAnswers(DiscordClient discord, JsonMapper json) {
		this.discord = discord;
		this.json = json;
	}

	/** Runs the work now, on this thread: for interactions without a token to edit. */
	Answer.Message runNow(Answer.Deferred deferred) {
		return outcome(deferred);
	}

	/** Runs the work in the background and edits the original response with it. */
	void finish(String applicationId, String token, Answer.Deferred deferred) {
		this.executor.execute(() -> {
			try {
				this.running.acquire();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			try {
				edit(applicationId, token, outcome(deferred));
			}
			catch (RuntimeException ex) {
				log.error("Could not finish a deferred Discord answer (application {})", applicationId, ex);
			}
			finally {
				this.running.release();
			}
		});
	}

	private Answer.Message outcome(Answer.Deferred deferred) {
		try {
			return deferred.work().get();
		}
		catch (ApiException refused) {
			return Answer.ephemeral(refused.getMessage());
		}
		catch (RuntimeException ex) {
			log.error("A deferred Discord answer failed", ex);
			return Answer.ephemeral("Something went wrong while finishing this. Nothing was changed; try again.");
		}
	}

	private void edit(String applicationId, String token, Answer.Message message) {
		Map<String, Object> fields = Responses.message(message);
		fields.remove("flags");
		for (int attempt = 1;; attempt++) {
			DiscordResult<?> result = this.discord.editOriginalResponse(applicationId, token,
					this.json.valueToTree(fields));
			if (result instanceof DiscordResult.Refused<?> refused && refused.error().code() == UNKNOWN_WEBHOOK
					&& attempt < ATTEMPTS) {
				pause(Duration.ofMillis(250L * attempt));
				continue;
			}
			if (!(result instanceof DiscordResult.Success<?>)) {
				log.warn("Could not finish a deferred Discord answer (application {}): {}", applicationId, result);
			}
			return;
		}
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void destroy() {
		this.executor.shutdown();
	}

}
