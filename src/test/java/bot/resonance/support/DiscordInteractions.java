package bot.resonance.support;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.Map;

/**
 * Signs interactions as Discord does (Ed25519 over timestamp + body) with a test
 * application's key pair; the integration server checks them with {@link #PUBLIC_KEY}.
 */
public final class DiscordInteractions {

	/** The test application's public key, as DISCORD_INTERACTIONS_PUBLIC_KEY. */
	public static final String PUBLIC_KEY = "978f20822e06e93c2f966216d6775970cb0e18e6b7cd9dba6900eb91a4e7b9dd";

	private static final String PRIVATE_KEY_PKCS8 = "302e020100300506032b6570042204204c0237ea4382acbb9ea720537c16f0ebca291641f7bde3190b467836e471fdd4";

	private DiscordInteractions() {
	}

	/** The signature headers for a body. */
	public static Map<String, String> headers(String body) {
		String timestamp = Long.toString(System.currentTimeMillis() / 1000);
		return Map.of("X-Signature-Ed25519", sign(timestamp, body), "X-Signature-Timestamp", timestamp, "Content-Type",
				"application/json");
	}

	public static String sign(String timestamp, String body) {
		try {
			PrivateKey key = KeyFactory.getInstance("Ed25519")
				.generatePrivate(new PKCS8EncodedKeySpec(HexFormat.of().parseHex(PRIVATE_KEY_PKCS8)));
			Signature signer = Signature.getInstance("Ed25519");
			signer.initSign(key);
			signer.update((timestamp + body).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(signer.sign());
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
