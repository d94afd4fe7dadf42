package bot.resonance.network;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the network.
 *
 * @param redemptionCodeTtl how long a redemption code a person issued stays usable
 * @param maxLiveRedemptionCodes how many unused, unexpired redemption codes a person may
 * have at once
 * @param linkConfirmationTtl how long the code that confirms a link across people stays
 * usable
 * @param linkConfirmationAttempts how many wrong codes void a link confirmation
 * @param maxOpenEmailProofs how many email codes a member may be waiting on at once, when
 * they link an email themselves (Discord's {@code /register email:}): more would let
 * anyone send mail to any address through Resonance
 */
@ConfigurationProperties("resonance.network")
public record NetworkProperties(@DefaultValue("10m") Duration redemptionCodeTtl,
		@DefaultValue("5") int maxLiveRedemptionCodes, @DefaultValue("15m") Duration linkConfirmationTtl,
		@DefaultValue("5") int linkConfirmationAttempts, @DefaultValue("3") int maxOpenEmailProofs) {

	public NetworkProperties {
		if (!redemptionCodeTtl.isPositive() || !linkConfirmationTtl.isPositive()) {
			throw new IllegalArgumentException("resonance.network code lifetimes must be positive");
		}
		if (maxLiveRedemptionCodes < 1 || linkConfirmationAttempts < 1 || maxOpenEmailProofs < 1) {
			throw new IllegalArgumentException("resonance.network limits must be at least 1");
		}
	}

}
