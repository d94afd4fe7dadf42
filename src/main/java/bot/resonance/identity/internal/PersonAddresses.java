package bot.resonance.identity.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * People's network wallet addresses: {@code 0x} + the first 20 bytes of HMAC-SHA256 of
 * the person's id under the network's address key (made at random once, by the
 * migration), EIP-55 capitalised. Stable for a person, unguessable from the id, stored
 * nowhere.
 */
@Component
public class PersonAddresses {

	private final JdbcClient jdbc;

	private volatile SecretKeySpec key;

	PersonAddresses(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public String address(long personId) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key());
			byte[] digest = mac.doFinal(("person:" + personId).getBytes(StandardCharsets.US_ASCII));
			return Wallets.eip55(HexFormat.of().formatHex(digest, 0, 20));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private SecretKeySpec key() {
		SecretKeySpec known = this.key;
		if (known == null) {
			byte[] value = this.jdbc.sql("select value from network_settings where name = 'address_key'")
				.query(byte[].class)
				.single();
			known = new SecretKeySpec(value, "HmacSHA256");
			this.key = known;
		}
		return known;
	}

}
