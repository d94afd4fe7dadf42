package bot.resonance;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Resonance: brands send signed events, Resonance applies their reward rules and moves
 * points on a double-entry ledger.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ResonanceApplication {

	public static void main(String[] args) {
		if (RegisterCommands.isRequested(args)) {
			System.exit(RegisterCommands.run(args, System.out, System.err));
		}
		SpringApplication.run(ResonanceApplication.class, args);
	}

}
