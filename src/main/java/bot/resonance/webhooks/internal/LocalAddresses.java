package bot.resonance.webhooks.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import bot.resonance.platform.logging.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses of this node's own network interfaces, every one of them (public ones
 * too: a request to a host's own address comes from inside, past the firewall or cloud
 * security group that guards it from outside). Interfaces come and go (containers, VPNs,
 * DHCP), so the list is read again when it is older than {@link #REFRESH_INTERVAL}, by
 * the one caller that notices; others keep using the list read before.
 */
final class LocalAddresses {

	/** How long a reading of the interfaces is used. */
	static final Duration REFRESH_INTERVAL = Duration.ofSeconds(30);

	private static final Logger log = LoggerFactory.getLogger(LocalAddresses.class);

	private final Source source;

	private final Clock clock;

	private final AtomicBoolean refreshing = new AtomicBoolean();

	private volatile Reading reading;

	LocalAddresses(Source source, Clock clock) {
		this.source = source;
		this.clock = clock;
		this.reading = read(Set.of(), clock.instant());
	}

	/** This node's addresses, read from {@link NetworkInterface}. */
	static LocalAddresses ofInterfaces(Clock clock) {
		return new LocalAddresses(LocalAddresses::interfaceAddresses, clock);
	}

	/** Whether the address (4 or 16 bytes) is one of this node's. */
	boolean contains(byte[] address) {
		return current().addresses().contains(AddressRange.format(address));
	}

	private Reading current() {
		Reading current = this.reading;
		Instant now = this.clock.instant();
		if (Duration.between(current.readAt(), now).abs().compareTo(REFRESH_INTERVAL) >= 0
				&& this.refreshing.compareAndSet(false, true)) {
			try {
				current = read(current.addresses(), now);
				this.reading = current;
			}
			finally {
				this.refreshing.set(false);
			}
		}
		return current;
	}

	private Reading read(Set<String> previous, Instant now) {
		try {
			return new Reading(this.source.addresses().stream().map(AddressRange::format).collect(Collectors.toSet()),
					now);
		}
		catch (SocketException | RuntimeException ex) {
			Failures.warn(log, ex, "Could not list this node's network addresses; keeping the {} known ones",
					previous.size());
			return new Reading(previous, now);
		}
	}

	private static List<byte[]> interfaceAddresses() throws SocketException {
		return NetworkInterface.networkInterfaces()
			.flatMap(NetworkInterface::inetAddresses)
			.map(InetAddress::getAddress)
			.toList();
	}

	/** Where the addresses come from. */
	@FunctionalInterface
	interface Source {

		List<byte[]> addresses() throws SocketException;

	}

	private record Reading(Set<String> addresses, Instant readAt) {
	}

}
