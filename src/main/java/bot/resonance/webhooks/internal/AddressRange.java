package bot.resonance.webhooks.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * A range of IPv4 or IPv6 addresses ({@code 10.0.0.0/8}, {@code 64:ff9b::/96}), compared
 * on the address bytes as written: {@code ::ffff:0:0/96} stays an IPv6 range, although
 * Java turns {@code ::ffff:a.b.c.d} into the IPv4 address {@code a.b.c.d}.
 *
 * @param network the first address's bytes (4 or 16)
 * @param prefix how many leading bits the range fixes
 */
public record AddressRange(byte[] network, int prefix) {

	public AddressRange {
		if (network.length != 4 && network.length != 16) {
			throw new IllegalArgumentException("An address has 4 or 16 bytes, not " + network.length);
		}
		if (prefix < 0 || prefix > network.length * 8) {
			throw new IllegalArgumentException("Bad prefix length /" + prefix);
		}
		network = network.clone();
	}

	/** Reads {@code address/prefix} or a single address; never looks a name up. */
	public static AddressRange parse(String text) {
		String[] parts = text.trim().split("/", 2);
		byte[] bytes;
		try {
			bytes = literal(parts[0]);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Not an address range: " + text, ex);
		}
		int prefix;
		try {
			prefix = (parts.length == 2) ? Integer.parseInt(parts[1]) : bytes.length * 8;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Bad prefix length in " + text, ex);
		}
		if (prefix < 0 || prefix > bytes.length * 8) {
			throw new IllegalArgumentException("Bad prefix length in " + text);
		}
		return new AddressRange(bytes, prefix);
	}

	boolean contains(byte[] address) {
		if (address.length != this.network.length) {
			return false;
		}
		int full = this.prefix / 8;
		for (int i = 0; i < full; i++) {
			if (address[i] != this.network[i]) {
				return false;
			}
		}
		int rest = this.prefix % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xff << (8 - rest)) & 0xff;
		return (address[full] & mask) == (this.network[full] & mask);
	}

	@Override
	public String toString() {
		return format(this.network) + "/" + this.prefix;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof AddressRange range && range.prefix == this.prefix
				&& Arrays.equals(range.network, this.network);
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(this.network) + this.prefix;
	}

	/**
	 * The bytes of an IP address literal, IPv6 with or without brackets and zone; an
	 * IPv4-mapped literal keeps its 16 bytes.
	 * @throws IllegalArgumentException if the text is not an address literal
	 */
	static byte[] literal(String text) {
		String bare = (text.startsWith("[") && text.endsWith("]")) ? text.substring(1, text.length() - 1) : text;
		boolean ipv6 = bare.indexOf(':') >= 0;
		if (ipv6 && bare.indexOf('%') >= 0) {
			bare = bare.substring(0, bare.indexOf('%'));
		}
		InetAddress address = InetAddress.ofLiteral(bare);
		return (ipv6 && address instanceof Inet4Address) ? mapped(address.getAddress()) : address.getAddress();
	}

	/** {@code ::ffff:a.b.c.d}: the IPv4-mapped form of an IPv4 address. */
	static byte[] mapped(byte[] ipv4) {
		byte[] bytes = new byte[16];
		bytes[10] = (byte) 0xff;
		bytes[11] = (byte) 0xff;
		System.arraycopy(ipv4, 0, bytes, 12, 4);
		return bytes;
	}

	/**
	 * An address as text: dotted IPv4, or IPv6 in the canonical form of RFC 5952 (lower
	 * case, the longest run of zero groups shortened to {@code ::}).
	 */
	static String format(byte[] address) {
		if (address.length == 4) {
			return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
					+ (address[3] & 0xff);
		}
		int[] groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
		}
		int bestStart = -1;
		int bestLength = 1; // a single zero group is not shortened
		for (int i = 0; i < 8; i++) {
			if (groups[i] == 0) {
				int length = 0;
				while (i + length < 8 && groups[i + length] == 0) {
					length++;
				}
				if (length > bestLength) {
					bestStart = i;
					bestLength = length;
				}
				i += length;
			}
		}
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				text.append("::");
				i += bestLength - 1;
				continue;
			}
			if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
				text.append(':');
			}
			text.append(Integer.toHexString(groups[i]));
		}
		return text.toString();
	}

}
