package bot.resonance.webhooks.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import bot.resonance.webhooks.WebhookProperties;
import org.springframework.stereotype.Component;

/**
 * Keeps webhook deliveries away from the private network Resonance runs in: an endpoint
 * may not resolve to a loopback, private, link-local, unique-local, multicast or
 * unspecified address, unless an operator allows that range
 * ({@code resonance.webhooks.allowed-private-targets}). Checked when an endpoint is saved
 * and again before every attempt (names can change what they resolve to); the JVM caches
 * lookups, so the check and the connection see the same address.
 */
@Component
public class TargetGuard {

	private final List<Cidr> allowed = new ArrayList<>();

	TargetGuard(WebhookProperties properties) {
		for (String range : properties.allowedPrivateTargets()) {
			if (!range.isBlank()) {
				this.allowed.add(Cidr.parse(range.trim()));
			}
		}
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
			return Optional.of("the URL has no host");
		}
		if (uri.getUserInfo() != null) {
			return Optional.of("the URL must not contain credentials");
		}
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(host);
		}
		catch (UnknownHostException ex) {
			return resolveFailureAllowed ? Optional.empty() : Optional.of("the host " + host + " does not resolve");
		}
		for (InetAddress address : addresses) {
			if (isInternal(address) && this.allowed.stream().noneMatch((cidr) -> cidr.contains(address))) {
				return Optional.of("the host " + host + " resolves to " + address.getHostAddress()
						+ ", a private, loopback or link-local address");
			}
		}
		return Optional.empty();
	}

	/** Whether deliveries may connect to this address. */
	boolean allows(InetAddress address) {
		return !isInternal(address) || this.allowed.stream().anyMatch((cidr) -> cidr.contains(address));
	}

	static boolean isInternal(InetAddress address) {
		if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return true;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			int first = bytes[0] & 0xff;
			int second = bytes[1] & 0xff;
			// 100.64.0.0/10 (carrier-grade NAT), 0.0.0.0/8, 192.0.0.0/24, 198.18.0.0/15,
			// 240.0.0.0/4
			return (first == 100 && (second & 0xc0) == 64) || first == 0
					|| (first == 192 && second == 0 && (bytes[2] & 0xff) == 0)
					|| (first == 198 && (second & 0xfe) == 18) || first >= 240;
		}
		if (address instanceof Inet6Address) {
			// fc00::/7 unique local addresses
			return (bytes[0] & 0xfe) == 0xfc;
		}
		return false;
	}

	/** An address range. */
	record Cidr(byte[] network, int prefix) {

		static Cidr parse(String text) {
			String[] parts = text.split("/", 2);
			try {
				InetAddress address = InetAddress.getByName(parts[0]);
				byte[] bytes = address.getAddress();
				int prefix = (parts.length == 2) ? Integer.parseInt(parts[1]) : bytes.length * 8;
				if (prefix < 0 || prefix > bytes.length * 8) {
					throw new IllegalArgumentException("Bad prefix length in " + text);
				}
				return new Cidr(bytes, prefix);
			}
			catch (UnknownHostException | NumberFormatException ex) {
				throw new IllegalArgumentException("Not an address range: " + text, ex);
			}
		}

		boolean contains(InetAddress address) {
			byte[] bytes = address.getAddress();
			if (bytes.length != this.network.length) {
				return false;
			}
			int full = this.prefix / 8;
			for (int i = 0; i < full; i++) {
				if (bytes[i] != this.network[i]) {
					return false;
				}
			}
			int rest = this.prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xff << (8 - rest)) & 0xff;
			return (bytes[full] & mask) == (this.network[full] & mask);
		}

	}

}
