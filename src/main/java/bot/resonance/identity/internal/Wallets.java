package bot.resonance.identity.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Checks and normalises wallet addresses: EVM (with the EIP-55 checksum), Solana (base58,
 * 32 bytes) and XRPL classic addresses (base58 with the XRPL alphabet and a checksum).
 */
public final class Wallets {

	private static final Pattern EVM = Pattern.compile("0[xX][0-9a-fA-F]{40}");

	private static final String BITCOIN_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

	private static final String XRPL_ALPHABET = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz";

	private Wallets() {
	}

	/**
	 * An EVM address in its EIP-55 checksummed form. All-lower-case and all-upper-case
	 * addresses carry no checksum and are accepted; mixed case must match the checksum.
	 * @throws IllegalArgumentException if it is not an EVM address
	 */
	public static String evm(String value) {
		if (!EVM.matcher(value).matches()) {
			throw new IllegalArgumentException("an EVM address is 0x followed by 40 hexadecimal digits");
		}
		String hex = value.substring(2);
		String checksummed = eip55(hex.toLowerCase(Locale.ROOT));
		boolean mixed = !hex.equals(hex.toLowerCase(Locale.ROOT)) && !hex.equals(hex.toUpperCase(Locale.ROOT));
		if (mixed && !checksummed.substring(2).equals(hex)) {
			throw new IllegalArgumentException("the EVM address fails its EIP-55 checksum (a mistyped character?)");
		}
		return checksummed;
	}

	/** {@code 0x} and the address with EIP-55 capitalisation. */
	static String eip55(String lowerHex) {
		byte[] hash = Keccak256.hash(lowerHex.getBytes(StandardCharsets.US_ASCII));
		StringBuilder out = new StringBuilder("0x");
		for (int i = 0; i < lowerHex.length(); i++) {
			char c = lowerHex.charAt(i);
			int nibble = (hash[i / 2] >> ((i % 2 == 0) ? 4 : 0)) & 0x0f;
			out.append((c >= 'a' && nibble >= 8) ? Character.toUpperCase(c) : c);
		}
		return out.toString();
	}

	/**
	 * A Solana address: base58 of a 32-byte public key.
	 * @throws IllegalArgumentException if it is not one
	 */
	public static String solana(String value) {
		byte[] decoded = base58(value, BITCOIN_ALPHABET);
		if (decoded == null || decoded.length != 32) {
			throw new IllegalArgumentException("a Solana address is the base58 encoding of 32 bytes");
		}
		return value;
	}

	/**
	 * An XRPL classic address: {@code r…}, base58 (XRPL alphabet) of a zero type byte, a
	 * 20-byte account id and a 4-byte double-SHA-256 checksum.
	 * @throws IllegalArgumentException if it is not one
	 */
	public static String xrpl(String value) {
		byte[] decoded = value.startsWith("r") ? base58(value, XRPL_ALPHABET) : null;
		if (decoded == null || decoded.length != 25 || decoded[0] != 0) {
			throw new IllegalArgumentException("an XRPL classic address starts with r and encodes 25 bytes");
		}
		byte[] checksum = Arrays.copyOf(sha256(sha256(Arrays.copyOf(decoded, 21))), 4);
		if (!Arrays.equals(checksum, Arrays.copyOfRange(decoded, 21, 25))) {
			throw new IllegalArgumentException("the XRPL address fails its checksum (a mistyped character?)");
		}
		return value;
	}

	/**
	 * Decodes base58 with leading zero bytes kept, or null if a character is not in it.
	 */
	static byte @Nullable [] base58(String value, String alphabet) {
		if (value.isEmpty() || value.length() > 64) {
			return null;
		}
		BigInteger number = BigInteger.ZERO;
		BigInteger base = BigInteger.valueOf(58);
		int zeros = 0;
		boolean leading = true;
		for (int i = 0; i < value.length(); i++) {
			int digit = alphabet.indexOf(value.charAt(i));
			if (digit < 0) {
				return null;
			}
			if (leading && digit == 0) {
				zeros++;
			}
			else {
				leading = false;
			}
			number = number.multiply(base).add(BigInteger.valueOf(digit));
		}
		byte[] bytes = number.toByteArray();
		int skip = (bytes.length > 1 && bytes[0] == 0) ? 1 : 0;
		if (number.signum() == 0) {
			bytes = new byte[0];
			skip = 0;
		}
		byte[] out = new byte[zeros + bytes.length - skip];
		System.arraycopy(bytes, skip, out, zeros, bytes.length - skip);
		return out;
	}

	private static byte[] sha256(byte[] input) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(input);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
