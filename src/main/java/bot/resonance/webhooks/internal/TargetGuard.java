package bot.resonance.webhooks.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import bot.resonance.webhooks.WebhookProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Keeps webhook deliveries away from the network Resonance runs in. An endpoint may not
 * lead to an address of a special-purpose range ({@link SpecialPurposeAddresses}:
 * private, loopback, link-local, shared, documentation, benchmarking, reserved, multicast
 * and the rest of the IANA registries), nor to one of this node's own addresses
 * ({@link LocalAddresses}), unless an operator allows its range
 * ({@code resonance.webhooks.allowed-private-targets}). An IPv6 address that carries an
 * IPv4 address (IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64, 6to4, Teredo) is
 * refused as such; where an operator allows its range, the IPv4 address it carries must
 * pass too. Ports must be 1 to 65535.
 *
 * <p>
 * Checked when an endpoint is saved, before every attempt, and by the delivery client's
 * DNS resolver for every connection ({@link #connectable(String)}), so a name that
 * changes what it resolves to between the check and the connection (DNS rebinding) still
 * cannot lead anywhere refused.
 */
@Component
public class TargetGuard {

	/**
	 * The port at the end of an authority that {@link URI} could not read as a server.
	 */
	private static final Pattern TRAILING_PORT = Pattern.compile(":(\\d+)$");

	private static final String OWN_ADDRESS = "an address of this Resonance node";

	private final List<AddressRange> allowed = new ArrayList<>();

	private final LocalAddresses localAddresses;

	private final Resolver resolver;

	@Autowired
	TargetGuard(WebhookProperties properties, Clock clock) {
		this(properties, LocalAddresses.ofInterfaces(clock), InetAddress::getAllByName);
	}

	TargetGuard(WebhookProperties properties, LocalAddresses localAddresses, Resolver resolver) {
		for (String range : properties.allowedPrivateTargets()) {
			if (!range.isBlank()) {
				this.allowed.add(AddressRange.parse(range.trim()));
			}
		}
		this.localAddresses = localAddresses;
		this.resolver = resolver;
	}

	/**
	 * Why a URL may not be delivered to, or empty if it may. A host that does not resolve
	 * is refused too ({@code resolveFailureAllowed} false) or let through (true, when
	 * saving an endpoint whose name does not resolve yet).
	 */
	public Optional<String> refusal(URI uri, boolean resolveFailureAllowed) {
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("https") && !scheme.equals("http")) {
			return Optional.of("the URL must use http or https");
		}
		String host = uri.getHost();
		if (host == null || host.isBlank()) {
			// java.net.URI reads ports as int, so a port past that leaves it without a
			// host
			Matcher port = TRAILING_PORT.matcher((uri.getRawAuthority() != null) ? uri.getRawAuthority() : "");
			if (port.find()) {
				return Optional.of(badPort(port.group(1)));
			}
			return Optional.of("the URL has no host");
		}
		if (uri.getUserInfo() != null) {
			return Optional.of("the URL must not contain credentials");
		}
		// URI accepts any number of digits; the HTTP client refuses more than 65535 and
		// would connect to port 0
		if (uri.getPort() == 0 || uri.getPort() > 65_535) {
			return Optional.of(badPort(Integer.toString(uri.getPort())));
		}
		List<Resolved> addresses;
		try {
			addresses = resolve(host);
		}
		catch (UnknownHostException ex) {
			return resolveFailureAllowed ? Optional.empty() : Optional.of("the host " + host + " does not resolve");
		}
		for (Resolved address : addresses) {
			Optional<String> refusal = refusal(address.bytes());
			if (refusal.isPresent()) {
				return Optional.of("the host " + host + " resolves to " + refusal.get());
			}
		}
		return Optional.empty();
	}

	/**
	 * The addresses of a host that deliveries may connect to: what the DNS resolver of
	 * the delivery client hands out.
	 * @throws UnknownHostException if the host does not resolve, or only to addresses
	 * that are refused (the message says why)
	 */
	InetAddress[] connectable(String host) throws UnknownHostException {
		List<InetAddress> connectable = new ArrayList<>();
		String refused = null;
		for (Resolved address : resolve(host)) {
			Optional<String> refusal = refusal(address.bytes());
			if (refusal.isEmpty()) {
				connectable.add(address.address());
			}
			else if (refused == null) {
				refused = refusal.get();
			}
		}
		if (connectable.isEmpty()) {
			throw new UnknownHostException(
					"the host " + host + " resolves to " + ((refused != null) ? refused : "no address"));
		}
		return connectable.toArray(InetAddress[]::new);
	}

	/**
	 * Why deliveries may not go to this address (4 or 16 bytes, as written), or empty if
	 * they may: {@code ::ffff:7f00:1 (IPv4-mapped Address, RFC 4291), which embeds
	 * 127.0.0.1 (Loopback, RFC 1122)}.
	 */
	Optional<String> refusal(byte[] address) {
		Optional<SpecialPurposeAddresses.SpecialRange> special = SpecialPurposeAddresses.find(address);
		Optional<byte[]> embedded = special.flatMap((range) -> range.embedded(address));
		if (isAllowed(address)) {
			// The operator opened the range (a NAT64 prefix, say): what it carries is
			// checked on its own.
			return embedded.flatMap(this::refusal)
				.map((reason) -> AddressRange.format(address) + ", which embeds " + reason);
		}
		List<String> reasons = new ArrayList<>();
		special.ifPresent((range) -> reasons.add(range.describe()));
		if (this.localAddresses.contains(address)) {
			reasons.add(OWN_ADDRESS);
		}
		if (reasons.isEmpty()) {
			return Optional.empty();
		}
		String text = AddressRange.format(address) + " (" + String.join("; ", reasons) + ")";
		return Optional.of(embedded.map((ipv4) -> text + ", which embeds " + described(ipv4)).orElse(text));
	}

	private boolean isAllowed(byte[] address) {
		return this.allowed.stream().anyMatch((range) -> range.contains(address));
	}

	/** {@code 127.0.0.1 (Loopback, RFC 1122)}, or just the address if it is public. */
	private String described(byte[] address) {
		List<String> reasons = new ArrayList<>();
		SpecialPurposeAddresses.find(address).ifPresent((range) -> reasons.add(range.describe()));
		if (this.localAddresses.contains(address)) {
			reasons.add(OWN_ADDRESS);
		}
		String text = AddressRange.format(address);
		return reasons.isEmpty() ? text : text + " (" + String.join("; ", reasons) + ")";
	}

	/**
	 * The addresses of a host. An IPv6 literal is read here, not by the resolver: Java
	 * turns {@code ::ffff:a.b.c.d} into the IPv4 address {@code a.b.c.d}, which would
	 * hide that it was written as an IPv4-mapped address.
	 */
	private List<Resolved> resolve(String host) throws UnknownHostException {
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		if (bare.indexOf(':') >= 0) {
			byte[] bytes;
			try {
				bytes = AddressRange.literal(bare);
			}
			catch (IllegalArgumentException ex) {
				throw new UnknownHostException(host + " is not an IPv6 address");
			}
			return List.of(new Resolved(InetAddress.getByAddress(bytes), bytes));
		}
		return Arrays.stream(this.resolver.resolve(bare))
			.map((address) -> new Resolved(address, address.getAddress()))
			.toList();
	}

	private static String badPort(String port) {
		return "the port " + port + " is not a port from 1 to 65535";
	}

	/** Looks names up (the system resolver, or a stand-in in tests). */
	@FunctionalInterface
	interface Resolver {

		InetAddress[] resolve(String host) throws UnknownHostException;

	}

	/**
	 * An address and its bytes as written.
	 *
	 * @param address what to connect to
	 * @param bytes its bytes, 16 for an IPv4-mapped literal that {@code address} holds as
	 * IPv4
	 */
	private record Resolved(InetAddress address, byte[] bytes) {
	}

}
