package bot.resonance.webhooks.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import bot.resonance.support.ExpectedLogs;
import bot.resonance.support.MutableClock;
import bot.resonance.webhooks.WebhookProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which targets outgoing webhooks may point at: every special-purpose range of the IANA
 * IPv4 and IPv6 registries is refused (its first and last address, and the addresses
 * attackers use), addresses that carry an IPv4 address are refused as such and say which
 * one, out-of-range ports are refused, and public addresses pass. This table is written
 * independently of the guard's own table, so a range missing there fails here.
 */
class TargetGuardUnitTests {

	/**
	 * The failing interface listing a test provokes, checked here instead of shown in the
	 * build's log.
	 */
	@RegisterExtension
	final ExpectedLogs logs = ExpectedLogs.of(LocalAddresses.class);

	/** The red team's list: each is refused even where 127.0.0.0/8 is allowed. */
	static Stream<Arguments> attacks() {
		return Stream.of(
				// IPv4-compatible (deprecated): Java keeps it an Inet6Address
				Arguments.of("http://[::127.0.0.1]/", "embeds 127.0.0.1"),
				// IPv4-mapped, as hex and dotted: Java turns it into 127.0.0.1 itself
				Arguments.of("http://[::ffff:7f00:1]/", "embeds 127.0.0.1"),
				Arguments.of("http://[::ffff:127.0.0.1]:8080/", "embeds 127.0.0.1"),
				Arguments.of("http://[0:0:0:0:0:ffff:7f00:1]/", "embeds 127.0.0.1"),
				Arguments.of("http://[::ffff:a9fe:a9fe]/latest/meta-data", "embeds 169.254.169.254"),
				// IPv4-translated (SIIT)
				Arguments.of("http://[::ffff:0:7f00:1]/", "embeds 127.0.0.1"),
				// NAT64, well-known and local-use prefixes
				Arguments.of("http://[64:ff9b::7f00:1]/", "embeds 127.0.0.1"),
				Arguments.of("http://[64:ff9b::a9fe:a9fe]/latest/meta-data", "embeds 169.254.169.254"),
				Arguments.of("http://[64:ff9b::127.0.0.1]/", "embeds 127.0.0.1"),
				Arguments.of("http://[64:ff9b:1::a9fe:a9fe]/", "embeds 169.254.169.254"),
				// 6to4
				Arguments.of("http://[2002:7f00:1::]/", "embeds 127.0.0.1"),
				Arguments.of("http://[2002:a9fe:a9fe::1]/", "embeds 169.254.169.254"),
				// Teredo: the client address is stored inverted (127.0.0.1 = 80ff:fffe)
				Arguments.of("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "embeds 127.0.0.1"),
				Arguments.of("http://[2001::ffff:ffff:5601:5601]/", "embeds 169.254.169.254"),
				// IPv6 loopback and friends, with a zone or without
				Arguments.of("http://[::1]/", "Loopback"), Arguments.of("http://[::]/", "Unspecified"),
				Arguments.of("http://[fe80::1%25eth0]/", "Link-Local"), Arguments.of("http://0.0.0.0/", "This host"),
				// Reserved and documentation ranges
				Arguments.of("http://192.0.2.1/", "Documentation"), Arguments.of("http://240.0.0.1/", "Reserved"),
				Arguments.of("http://[2001:db8::1]/", "Documentation"),
				Arguments.of("http://[3fff::1]/", "Documentation"));
	}

	@ParameterizedTest
	@MethodSource("attacks")
	void attacksAreRefusedNamingWhatTheAddressCarries(String url, String explanation) {
		assertThat(guard().refusal(URI.create(url), false)).as(url)
			.hasValueSatisfying((reason) -> assertThat(reason).contains(explanation));
		assertThat(guard("127.0.0.0/8").refusal(URI.create(url), false)).as(url + " where 127.0.0.0/8 is allowed")
			.isPresent();
	}

	@Test
	void theRefusalOfAnEmbeddingAddressNamesBothRanges() {
		assertThat(guard().refusal(URI.create("http://[::ffff:7f00:1]/"), false)).hasValue(
				"the host [::ffff:7f00:1] resolves to ::ffff:7f00:1 (IPv4-mapped Address, RFC 4291), which embeds 127.0.0.1 (Loopback, RFC 1122)");
		assertThat(guard().refusal(URI.create("http://[64:ff9b::a9fe:a9fe]/"), false)).hasValue(
				"the host [64:ff9b::a9fe:a9fe] resolves to 64:ff9b::a9fe:a9fe (IPv4-IPv6 Translation, RFC 6052), which embeds 169.254.169.254 (Link Local, RFC 3927)");
		assertThat(guard().refusal(URI.create("http://[64:ff9b::808:808]/"), false)).hasValue(
				"the host [64:ff9b::808:808] resolves to 64:ff9b::808:808 (IPv4-IPv6 Translation, RFC 6052), which embeds 8.8.8.8");
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "http://localhost/", "http://LocalHost:8080/", "http://2130706433/", "http://127.0.0.1:1/" })
	void namesAndSpellingsOfLoopbackAreLoopback(String url) {
		assertThat(guard().refusal(URI.create(url), false)).as(url)
			.hasValueSatisfying((reason) -> assertThat(reason).contains("Loopback"));
	}

	/** A first, a last and (where it matters) a notorious address of each range. */
	static Stream<Arguments> specialPurposeAddresses() {
		return Stream.of(
				// IANA IPv4 Special-Purpose Address Registry
				special("0.0.0.0", "This host on this network"), special("0.0.0.1", "This network"),
				special("0.255.255.255", "This network"), special("10.0.0.0", "Private-Use"),
				special("10.255.255.255", "Private-Use"), special("100.64.0.0", "Shared Address Space"),
				special("100.127.255.255", "Shared Address Space"), special("127.0.0.0", "Loopback"),
				special("127.255.255.255", "Loopback"), special("169.254.0.0", "Link Local"),
				special("169.254.169.254", "Link Local"), special("169.254.255.255", "Link Local"),
				special("172.16.0.0", "Private-Use"), special("172.31.255.255", "Private-Use"),
				special("192.0.0.0", "IPv4 Service Continuity Prefix"),
				special("192.0.0.7", "IPv4 Service Continuity Prefix"), special("192.0.0.8", "IPv4 dummy address"),
				special("192.0.0.9", "Port Control Protocol Anycast"),
				special("192.0.0.10", "Traversal Using Relays around NAT Anycast"),
				special("192.0.0.11", "IETF Protocol Assignments"), special("192.0.0.170", "NAT64/DNS64 Discovery"),
				special("192.0.0.171", "NAT64/DNS64 Discovery"), special("192.0.0.255", "IETF Protocol Assignments"),
				special("192.0.2.0", "Documentation (TEST-NET-1)"),
				special("192.0.2.255", "Documentation (TEST-NET-1)"), special("192.31.196.0", "AS112-v4"),
				special("192.31.196.255", "AS112-v4"), special("192.52.193.0", "AMT"), special("192.52.193.255", "AMT"),
				special("192.88.99.0", "Deprecated (6to4 Relay Anycast)"),
				special("192.88.99.2", "6a44-relay anycast address"),
				special("192.88.99.255", "Deprecated (6to4 Relay Anycast)"), special("192.168.0.0", "Private-Use"),
				special("192.168.255.255", "Private-Use"), special("192.175.48.0", "Direct Delegation AS112 Service"),
				special("192.175.48.255", "Direct Delegation AS112 Service"), special("198.18.0.0", "Benchmarking"),
				special("198.19.255.255", "Benchmarking"), special("198.51.100.0", "Documentation (TEST-NET-2)"),
				special("198.51.100.255", "Documentation (TEST-NET-2)"),
				special("203.0.113.0", "Documentation (TEST-NET-3)"),
				special("203.0.113.255", "Documentation (TEST-NET-3)"), special("240.0.0.0", "Reserved"),
				special("255.255.255.254", "Reserved"), special("255.255.255.255", "Limited Broadcast"),
				// IPv4 multicast (RFC 5771)
				special("224.0.0.0", "Multicast"), special("224.0.0.251", "Multicast"),
				special("239.255.255.255", "Multicast"),
				// IANA IPv6 Special-Purpose Address Registry
				special("::", "Unspecified Address"), special("::1", "Loopback Address"),
				special("::ffff:0:0", "IPv4-mapped Address"), special("::ffff:ffff:ffff", "IPv4-mapped Address"),
				special("64:ff9b::", "IPv4-IPv6 Translation"), special("64:ff9b::ffff:ffff", "IPv4-IPv6 Translation"),
				special("64:ff9b:1::", "IPv4-IPv6 Translation"),
				special("64:ff9b:1:ffff:ffff:ffff:ffff:ffff", "IPv4-IPv6 Translation"),
				special("100::", "Discard-Only Address Block"),
				special("100::ffff:ffff:ffff:ffff", "Discard-Only Address Block"),
				special("100:0:0:1::", "Dummy IPv6 Prefix"),
				special("100:0:0:1:ffff:ffff:ffff:ffff", "Dummy IPv6 Prefix"), special("2001::", "TEREDO"),
				special("2001:0:ffff:ffff:ffff:ffff:ffff:ffff", "TEREDO"),
				special("2001:1::1", "Port Control Protocol Anycast"),
				special("2001:1::2", "Traversal Using Relays around NAT Anycast"),
				special("2001:1::3", "DNS-SD Service Registration Protocol Anycast"),
				special("2001:1::4", "IETF Protocol Assignments"), special("2001:2::", "Benchmarking"),
				special("2001:2:0:ffff:ffff:ffff:ffff:ffff", "Benchmarking"), special("2001:3::", "AMT"),
				special("2001:3:ffff:ffff:ffff:ffff:ffff:ffff", "AMT"), special("2001:4:112::", "AS112-v6"),
				special("2001:4:112:ffff:ffff:ffff:ffff:ffff", "AS112-v6"),
				special("2001:10::", "Deprecated (previously ORCHID)"),
				special("2001:1f:ffff:ffff:ffff:ffff:ffff:ffff", "Deprecated (previously ORCHID)"),
				special("2001:20::", "ORCHIDv2"), special("2001:2f:ffff:ffff:ffff:ffff:ffff:ffff", "ORCHIDv2"),
				special("2001:30::", "Drone Remote ID Protocol Entity Tags"),
				special("2001:3f:ffff:ffff:ffff:ffff:ffff:ffff", "Drone Remote ID Protocol Entity Tags"),
				special("2001:100::1", "IETF Protocol Assignments"),
				special("2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "IETF Protocol Assignments"),
				special("2001:db8::", "Documentation"),
				special("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "Documentation"), special("2002::", "6to4"),
				special("2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "6to4"),
				special("2620:4f:8000::", "Direct Delegation AS112 Service"),
				special("2620:4f:8000:ffff:ffff:ffff:ffff:ffff", "Direct Delegation AS112 Service"),
				special("3fff::", "Documentation"), special("3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "Documentation"),
				special("5f00::", "Segment Routing (SRv6) SIDs"),
				special("5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Segment Routing (SRv6) SIDs"),
				special("fc00::", "Unique-Local"), special("fd00::2", "Unique-Local"),
				special("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Unique-Local"),
				special("fe80::", "Link-Local Unicast"),
				special("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Link-Local"),
				// Outside the special-purpose registry, deprecated or never for hosts
				special("::2", "IPv4-compatible"), special("::ffff:ffff", "IPv4-compatible"),
				special("::ffff:0:0:0", "IPv4-translated"), special("::ffff:0:ffff:ffff", "IPv4-translated"),
				special("fec0::", "Site-Local"), special("feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Site-Local"),
				special("ff00::", "Multicast"), special("ff02::1", "Multicast"),
				special("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Multicast"),
				// Unassigned IPv6 space: nothing outside 2000::/3 is global unicast
				special("0:0:0:1::", "Reserved by IETF"), special("1::", "Reserved by IETF"),
				special("200::", "Reserved by IETF"), special("400::", "Reserved by IETF"),
				special("800::", "Reserved by IETF"), special("1000::", "Reserved by IETF"),
				special("1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Reserved by IETF"),
				special("4000::", "Reserved by IETF"), special("6000::", "Reserved by IETF"),
				special("8000::", "Reserved by IETF"), special("a000::", "Reserved by IETF"),
				special("c000::", "Reserved by IETF"), special("e000::", "Reserved by IETF"),
				special("f000::", "Reserved by IETF"), special("f800::", "Reserved by IETF"),
				special("fe00::", "Reserved by IETF"));
	}

	@ParameterizedTest
	@MethodSource("specialPurposeAddresses")
	void everySpecialPurposeRangeIsRefused(String address, String name) {
		assertThat(guard().refusal(url(address), false)).as(address)
			.hasValueSatisfying((reason) -> assertThat(reason).contains(name));
	}

	@ParameterizedTest
	@ValueSource(strings = { "8.8.8.8", "1.1.1.1", "11.0.0.1", "100.63.255.255", "100.128.0.0", "126.255.255.255",
			"128.0.0.1", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.0", "192.0.3.0",
			"192.31.195.255", "192.31.197.0", "192.88.98.255", "192.88.100.0", "192.167.255.255", "192.169.0.0",
			"192.175.47.255", "192.175.49.0", "198.17.255.255", "198.20.0.0", "198.51.99.255", "198.51.101.0",
			"203.0.112.255", "203.0.114.0", "223.255.255.255", "2001:200::1", "2001:4860:4860::8888",
			"2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "2003::1", "2001:db9::1", "2620:4f:7fff::1",
			"2620:4f:8001::1", "3fff:1000::1", "3ffe::1" })
	void publicAddressesPass(String address) {
		assertThat(guard().refusal(url(address), false)).as(address).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://8.8.8.8:0/", "http://8.8.8.8:65536/", "http://8.8.8.8:99999/",
			"http://8.8.8.8:99999999999/", "http://[2001:4860:4860::8888]:70000/" })
	void portsOutsideOneTo65535AreRefused(String url) {
		assertThat(guard().refusal(URI.create(url), true)).as(url)
			.hasValueSatisfying((reason) -> assertThat(reason).contains("1 to 65535"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://8.8.8.8:1/", "http://8.8.8.8:65535/", "https://8.8.8.8/", "http://8.8.8.8:/" })
	void portsFromOneTo65535Pass(String url) {
		assertThat(guard().refusal(URI.create(url), true)).as(url).isEmpty();
	}

	@Test
	void anOperatorCanOpenRangesButAnEmbeddedAddressIsStillChecked() {
		TargetGuard loopback = guard("127.0.0.0/8");
		assertThat(loopback.refusal(URI.create("http://127.0.0.1:8080/"), false)).isEmpty();
		assertThat(loopback.refusal(URI.create("http://[::1]/"), false)).isPresent();

		// A network that reaches IPv4 through DNS64/NAT64 opens the NAT64 prefix: what
		// it carries must still be public, or allowed itself.
		TargetGuard nat64 = guard("64:ff9b::/96");
		assertThat(nat64.refusal(URI.create("http://[64:ff9b::808:808]/"), false)).isEmpty();
		assertThat(nat64.refusal(URI.create("http://[64:ff9b::a9fe:a9fe]/"), false))
			.hasValueSatisfying((reason) -> assertThat(reason).contains("embeds 169.254.169.254 (Link Local"));
		assertThat(guard("64:ff9b::/96", "127.0.0.0/8").refusal(URI.create("http://[64:ff9b::7f00:1]/"), false))
			.isEmpty();

		// IPv4-mapped ranges can be named in the allow-list too.
		assertThat(guard("::ffff:0:0/96", "127.0.0.0/8").refusal(URI.create("http://[::ffff:7f00:1]/"), false))
			.isEmpty();
		assertThat(guard("::ffff:0:0/96").refusal(URI.create("http://[::ffff:7f00:1]/"), false)).isPresent();
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost/8", "example.com", "10.0.0.0/33", "::/129", "10.0.0.0/x", "1.2.3.4/-1" })
	void theAllowListTakesOnlyAddressRanges(String range) {
		// Refused when the setting is read, naming it and what to give instead.
		assertThatThrownBy(() -> guard(range)).rootCause()
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("resonance.webhooks.allowed-private-targets: ")
			.hasMessageContaining(range)
			.hasMessageContaining("CIDR literals");
	}

	@Test
	void theNodesOwnAddressesAreRefusedUnlessAllowed() {
		MutableClock time = new MutableClock();
		time.freeze();
		List<byte[]> interfaces = new ArrayList<>(List.of(bytes("8.8.4.4"), bytes("2001:4860:4860::8844")));
		LocalAddresses own = new LocalAddresses(() -> List.copyOf(interfaces), time);
		TargetGuard guard = new TargetGuard(properties(), own, InetAddress::getAllByName);
		assertThat(guard.refusal(URI.create("http://8.8.4.4/"), false))
			.hasValue("the host 8.8.4.4 resolves to 8.8.4.4 (an address of this Resonance node)");
		assertThat(guard.refusal(URI.create("http://[2001:4860:4860::8844]/"), false))
			.hasValueSatisfying((reason) -> assertThat(reason).contains("an address of this Resonance node"));
		// An own address in a special-purpose range says both.
		interfaces.add(bytes("192.0.2.2"));
		time.advance(LocalAddresses.REFRESH_INTERVAL);
		assertThat(guard.refusal(URI.create("http://192.0.2.2/"), false)).hasValue(
				"the host 192.0.2.2 resolves to 192.0.2.2 (Documentation (TEST-NET-1), RFC 5737; an address of this Resonance node)");
		// One carried inside another address is named too.
		assertThat(guard.refusal(URI.create("http://[64:ff9b::808:404]/"), false)).hasValueSatisfying(
				(reason) -> assertThat(reason).endsWith("which embeds 8.8.4.4 (an address of this Resonance node)"));
		assertThat(new TargetGuard(properties("8.8.4.0/24"), own, InetAddress::getAllByName)
			.refusal(URI.create("http://8.8.4.4/"), false)).isEmpty();
	}

	@Test
	void theNodesAddressesAreReadAgainWhenInterfacesChange() {
		MutableClock time = new MutableClock();
		time.freeze();
		List<byte[]> interfaces = new ArrayList<>(List.of(bytes("8.8.4.4")));
		LocalAddresses own = new LocalAddresses(() -> List.copyOf(interfaces), time);
		interfaces.clear();
		interfaces.add(bytes("9.9.9.9"));
		time.advance(LocalAddresses.REFRESH_INTERVAL.minusSeconds(1));
		assertThat(own.contains(bytes("8.8.4.4"))).as("the reading is still fresh").isTrue();
		assertThat(own.contains(bytes("9.9.9.9"))).isFalse();
		time.advance(Duration.ofSeconds(1));
		assertThat(own.contains(bytes("9.9.9.9"))).as("read again").isTrue();
		assertThat(own.contains(bytes("8.8.4.4"))).isFalse();
		// An interface listing that fails keeps what was known.
		LocalAddresses failing = new LocalAddresses(() -> {
			throw new SocketException("no");
		}, time);
		assertThat(failing.contains(bytes("9.9.9.9"))).isFalse();
		assertThat(this.logs.expect("Could not list this node's network addresses")).hasSize(1);
	}

	@Test
	void theRealInterfacesIncludeLoopback() {
		assertThat(LocalAddresses.ofInterfaces(Clock.systemUTC()).contains(bytes("127.0.0.1"))).isTrue();
	}

	@Test
	void connectionsGetOnlyTheAllowedAddressesOfAName() throws Exception {
		byte[] mapped = bytes("::ffff:7f00:1");
		TargetGuard guard = new TargetGuard(properties("127.0.0.0/8"), new LocalAddresses(List::of, Clock.systemUTC()),
				(host) -> new InetAddress[] { InetAddress.getByAddress(host, bytes("10.1.2.3")),
						Inet6Address.getByAddress(host, mapped, -1), InetAddress.getByAddress(host, bytes("8.8.8.8")),
						InetAddress.getByAddress(host, bytes("127.0.0.1")) });
		assertThat(guard.connectable("mixed.example")).extracting(InetAddress::getHostAddress)
			.containsExactly("8.8.8.8", "127.0.0.1");
		assertThat(guard.refusal(URI.create("http://mixed.example/"), false)).as("one refused address refuses the URL")
			.hasValue("the host mixed.example resolves to 10.1.2.3 (Private-Use, RFC 1918)");

		TargetGuard rebound = new TargetGuard(properties("127.0.0.0/8"),
				new LocalAddresses(List::of, Clock.systemUTC()),
				(host) -> new InetAddress[] { Inet6Address.getByAddress(host, mapped, -1) });
		assertThatExceptionOfType(UnknownHostException.class).isThrownBy(() -> rebound.connectable("rebound.example"))
			.withMessage("the host rebound.example resolves to ::ffff:7f00:1 (IPv4-mapped Address, RFC 4291), "
					+ "which embeds 127.0.0.1 (Loopback, RFC 1122)");
		// IPv6 literals reach the resolver with their brackets and are read as written.
		assertThatExceptionOfType(UnknownHostException.class)
			.isThrownBy(() -> rebound.connectable("[::ffff:127.0.0.1]"))
			.withMessageContaining("which embeds 127.0.0.1");
		assertThat(guard("::ffff:0:0/96", "127.0.0.0/8").connectable("[::ffff:127.0.0.1]"))
			.extracting(InetAddress::getHostAddress)
			.containsExactly("127.0.0.1");
	}

	private static byte[] bytes(String literal) {
		return AddressRange.literal(literal);
	}

	private static Arguments special(String address, String name) {
		return Arguments.of(address, name);
	}

	private static URI url(String address) {
		return URI.create("http://" + (address.contains(":") ? "[" + address + "]" : address) + "/hook");
	}

	/** A guard on a node without addresses of its own, to keep the table exact. */
	static TargetGuard guard(String... allowed) {
		return new TargetGuard(properties(allowed), new LocalAddresses(List::of, Clock.systemUTC()),
				InetAddress::getAllByName);
	}

	private static WebhookProperties properties(String... allowed) {
		Map<String, String> values = new HashMap<>();
		for (int i = 0; i < allowed.length; i++) {
			values.put("resonance.webhooks.allowed-private-targets[" + i + "]", allowed[i]);
		}
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("resonance.webhooks",
				WebhookProperties.class);
	}

}
