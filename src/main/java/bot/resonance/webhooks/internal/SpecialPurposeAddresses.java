package bot.resonance.webhooks.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The address ranges that are not someone's ordinary Internet host, as data: the IANA
 * IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and the RFCs that added to
 * them, as of 2025), IPv4 and IPv6 multicast, the deprecated IPv6 forms that carry an
 * IPv4 address or a site, and the IPv6 space IANA keeps "Reserved by IETF" (everything
 * outside {@code 2000::/3} that has no other use). Webhook deliveries are refused to all
 * of them, including the few the registries mark globally reachable: those are protocol
 * anycast (PCP, TURN, DNS-SD SRP, AMT relays, AS112 DNS sinks) or identifiers (ORCHIDv2,
 * drone DETs), none of which is a web server, and a PCP anycast address reaches the
 * network's own NAT gateway.
 */
final class SpecialPurposeAddresses {

	/** Every range; the most specific range containing an address names it. */
	static final List<SpecialRange> RANGES = List.of(
			// IANA IPv4 Special-Purpose Address Registry
			range("0.0.0.0/8", "This network", "RFC 791"), range("0.0.0.0/32", "This host on this network", "RFC 1122"),
			range("10.0.0.0/8", "Private-Use", "RFC 1918"), range("100.64.0.0/10", "Shared Address Space", "RFC 6598"),
			range("127.0.0.0/8", "Loopback", "RFC 1122"), range("169.254.0.0/16", "Link Local", "RFC 3927"),
			range("172.16.0.0/12", "Private-Use", "RFC 1918"),
			range("192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890"),
			range("192.0.0.0/29", "IPv4 Service Continuity Prefix", "RFC 7335"),
			range("192.0.0.8/32", "IPv4 dummy address", "RFC 7600"),
			range("192.0.0.9/32", "Port Control Protocol Anycast", "RFC 7723"),
			range("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", "RFC 8155"),
			range("192.0.0.170/32", "NAT64/DNS64 Discovery", "RFC 8880, RFC 7050"),
			range("192.0.0.171/32", "NAT64/DNS64 Discovery", "RFC 8880, RFC 7050"),
			range("192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737"),
			range("192.31.196.0/24", "AS112-v4", "RFC 7535"), range("192.52.193.0/24", "AMT", "RFC 7450"),
			range("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526"),
			range("192.88.99.2/32", "6a44-relay anycast address", "RFC 6751"),
			range("192.168.0.0/16", "Private-Use", "RFC 1918"),
			range("192.175.48.0/24", "Direct Delegation AS112 Service", "RFC 7534"),
			range("198.18.0.0/15", "Benchmarking", "RFC 2544"),
			range("198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737"),
			range("203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737"),
			range("240.0.0.0/4", "Reserved", "RFC 1112"),
			range("255.255.255.255/32", "Limited Broadcast", "RFC 8190, RFC 919"),
			// IANA IPv4 Multicast Address Space Registry
			range("224.0.0.0/4", "Multicast", "RFC 5771"),
			// IANA IPv6 Special-Purpose Address Registry
			range("::1/128", "Loopback Address", "RFC 4291"), range("::/128", "Unspecified Address", "RFC 4291"),
			embedding("::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291", Embedding.LAST_32_BITS),
			embedding("64:ff9b::/96", "IPv4-IPv6 Translation", "RFC 6052", Embedding.LAST_32_BITS),
			// Local-use NAT64 prefixes may be of any RFC 6052 length; the IPv4 address is
			// read as behind a /96, the usual layout.
			embedding("64:ff9b:1::/48", "IPv4-IPv6 Translation (local use)", "RFC 8215", Embedding.LAST_32_BITS),
			range("100::/64", "Discard-Only Address Block", "RFC 6666"),
			range("100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780"),
			range("2001::/23", "IETF Protocol Assignments", "RFC 2928"),
			embedding("2001::/32", "TEREDO", "RFC 4380, RFC 8190", Embedding.TEREDO_CLIENT),
			range("2001:1::1/128", "Port Control Protocol Anycast", "RFC 7723"),
			range("2001:1::2/128", "Traversal Using Relays around NAT Anycast", "RFC 8155"),
			range("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", "RFC 9665"),
			range("2001:2::/48", "Benchmarking", "RFC 5180"), range("2001:3::/32", "AMT", "RFC 7450"),
			range("2001:4:112::/48", "AS112-v6", "RFC 7535"),
			range("2001:10::/28", "Deprecated (previously ORCHID)", "RFC 4843"),
			range("2001:20::/28", "ORCHIDv2", "RFC 7343"),
			range("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC 9374"),
			range("2001:db8::/32", "Documentation", "RFC 3849"),
			embedding("2002::/16", "6to4", "RFC 3056", Embedding.SIX_TO_FOUR),
			range("2620:4f:8000::/48", "Direct Delegation AS112 Service", "RFC 7534"),
			range("3fff::/20", "Documentation", "RFC 9637"),
			range("5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602"),
			range("fc00::/7", "Unique-Local", "RFC 4193, RFC 8190"),
			range("fe80::/10", "Link-Local Unicast", "RFC 4291"),
			// Deprecated IPv6 forms and multicast (IANA IPv6 Address Space)
			embedding("::/96", "IPv4-compatible Address (deprecated)", "RFC 4291", Embedding.LAST_32_BITS),
			embedding("::ffff:0:0:0/96", "IPv4-translated Address", "RFC 2765", Embedding.LAST_32_BITS),
			range("fec0::/10", "Site-Local (deprecated)", "RFC 3879"), range("ff00::/8", "Multicast", "RFC 4291"),
			// IANA IPv6 Address Space: the rest of what is not 2000::/3 (global unicast)
			reserved("::/8"), reserved("100::/8"), reserved("200::/7"), reserved("400::/6"), reserved("800::/5"),
			reserved("1000::/4"), reserved("4000::/3"), reserved("6000::/3"), reserved("8000::/3"),
			reserved("a000::/3"), reserved("c000::/3"), reserved("e000::/4"), reserved("f000::/5"),
			reserved("f800::/6"), reserved("fe00::/9"));

	private SpecialPurposeAddresses() {
	}

	/** The most specific special-purpose range the address is in, if any. */
	static Optional<SpecialRange> find(byte[] address) {
		SpecialRange found = null;
		for (SpecialRange candidate : RANGES) {
			if (candidate.range().contains(address)
					&& (found == null || candidate.range().prefix() > found.range().prefix())) {
				found = candidate;
			}
		}
		return Optional.ofNullable(found);
	}

	private static SpecialRange range(String range, String name, String reference) {
		return embedding(range, name, reference, Embedding.NONE);
	}

	private static SpecialRange reserved(String range) {
		return range(range, "Reserved by IETF", "RFC 4291");
	}

	private static SpecialRange embedding(String range, String name, String reference, Embedding embedding) {
		return new SpecialRange(AddressRange.parse(range), name, reference, embedding);
	}

	/** Where an IPv6 address of a range carries an IPv4 address. */
	enum Embedding {

		/** Carries none. */
		NONE,
		/** In its last 32 bits (mapped, compatible, translated, NAT64). */
		LAST_32_BITS,
		/** In bits 16 to 47 (6to4, {@code 2002:AABB:CCDD::}). */
		SIX_TO_FOUR,
		/** In its last 32 bits, inverted (the Teredo client's public address). */
		TEREDO_CLIENT

	}

	/**
	 * One special-purpose range.
	 *
	 * @param range its addresses
	 * @param name its name in the registry
	 * @param reference the RFCs that define it
	 * @param embedding where its addresses carry an IPv4 address
	 */
	record SpecialRange(AddressRange range, String name, String reference, Embedding embedding) {

		/** The IPv4 address an address of this range carries, if it carries one. */
		Optional<byte[]> embedded(byte[] address) {
			return switch (this.embedding) {
				case NONE -> Optional.empty();
				case LAST_32_BITS -> Optional.of(Arrays.copyOfRange(address, 12, 16));
				case SIX_TO_FOUR -> Optional.of(Arrays.copyOfRange(address, 2, 6));
				case TEREDO_CLIENT -> {
					byte[] client = Arrays.copyOfRange(address, 12, 16);
					for (int i = 0; i < client.length; i++) {
						client[i] = (byte) ~client[i];
					}
					yield Optional.of(client);
				}
			};
		}

		/** {@code Loopback, RFC 1122}. */
		String describe() {
			return this.name + ", " + this.reference;
		}

	}

}
