package bot.resonance.platform.db;

import java.nio.file.Path;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * The embedded default: when no {@code spring.datasource.url} is configured, starts a
 * PostgreSQL server whose data lives in {@code <resonance.data.dir>/postgres} and points
 * the data source at it. Setting {@code SPRING_DATASOURCE_URL} (with user and password)
 * uses an external PostgreSQL instead and nothing else changes.
 */
public class EmbeddedPostgresEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE = "resonanceEmbeddedPostgres";

	private final Log log;

	public EmbeddedPostgresEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		// Logging is not set up yet; deferred messages appear once it is.
		this.log = logFactory.getLog(EmbeddedPostgresEnvironmentPostProcessor.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (StringUtils.hasText(environment.getProperty("spring.datasource.url"))
				|| !environment.getProperty("resonance.embedded-db.enabled", Boolean.class, true)) {
			return;
		}
		Path dataDirectory = Path.of(environment.getProperty("resonance.data.dir", "data")).resolve("postgres");
		var settings = new EmbeddedPostgresServer.Settings(dataDirectory,
				environment.getProperty("resonance.embedded-db.port", Integer.class, 0),
				environment.getProperty("resonance.embedded-db.durable", Boolean.class, true),
				environment.getProperty("resonance.embedded-db.clean-on-start", Boolean.class, false),
				environment.getProperty("resonance.embedded-db.shared-buffers", "256MB"),
				Binder.get(environment)
					.bind("resonance.embedded-db.server-config", Bindable.mapOf(String.class, String.class))
					.orElse(Map.of()),
				restoreFrom(environment), environment.getProperty("resonance.embedded-db.pg-bin"));
		EmbeddedPostgresServer server = EmbeddedPostgresServer.startOrGet(settings, this.log::warn);
		if (server.restored() != null) {
			this.log.info(server.restored());
		}
		environment.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE,
					Map.of("spring.datasource.url", server.jdbcUrl(), "spring.datasource.username", server.username(),
							"spring.datasource.password", "", "resonance.embedded-db.active-port", server.port(),
							"resonance.embedded-db.active-directory", server.dataDirectory().toString())));
	}

	private static @Nullable Path restoreFrom(ConfigurableEnvironment environment) {
		String archive = environment.getProperty("resonance.embedded-db.restore-from");
		return StringUtils.hasText(archive) ? Path.of(archive.strip()) : null;
	}

	@Override
	public int getOrder() {
		// After the config data (application.yml, environment variables) is loaded.
		return Ordered.LOWEST_PRECEDENCE;
	}

}
