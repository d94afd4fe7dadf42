package bot.resonance.platform.admin;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where this node keeps local files: the embedded database ({@code postgres/}) and the
 * generated admin token ({@code admin-token}).
 *
 * @param dir the data folder ({@code RESONANCE_DATA_DIR}), {@code ./data} by default
 */
@ConfigurationProperties("resonance.data")
public record DataProperties(@DefaultValue("data") Path dir) {
}
