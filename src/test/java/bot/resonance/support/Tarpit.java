package bot.resonance.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver that accepts every connection, reads the request and never answers:
 * what any tarpit on the internet does to a webhook sender. It counts the connections it
 * holds open and those the sender gave up on.
 */
public final class Tarpit implements AutoCloseable {

	private final ServerSocket server;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger open = new AtomicInteger();

	private final AtomicInteger mostOpen = new AtomicInteger();

	private final AtomicInteger released = new AtomicInteger();

	private volatile boolean closing;

	private Tarpit(ServerSocket server) {
		this.server = server;
	}

	public static Tarpit start() {
		try {
			Tarpit tarpit = new Tarpit(new ServerSocket(0, 1_000, InetAddress.getLoopbackAddress()));
			Thread.ofVirtual().name("tarpit").start(tarpit::accept);
			return tarpit;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The URL of {@code path} on this tarpit. */
	public String url(String path) {
		return "http://127.0.0.1:" + this.server.getLocalPort() + path;
	}

	/** Connections accepted so far. */
	public int accepted() {
		return this.accepted.get();
	}

	/** Connections held open now. */
	public int open() {
		return this.open.get();
	}

	/** The most connections held open at once. */
	public int mostOpen() {
		return this.mostOpen.get();
	}

	/** Connections the sender closed (gave up waiting for an answer). */
	public int released() {
		return this.released.get();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.sockets.add(socket);
				this.accepted.incrementAndGet();
				this.mostOpen.accumulateAndGet(this.open.incrementAndGet(), Math::max);
				Thread.ofVirtual().start(() -> hold(socket));
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	/** Reads whatever comes and never writes; returns once the sender hangs up. */
	private void hold(Socket socket) {
		try (socket; InputStream in = socket.getInputStream()) {
			byte[] buffer = new byte[8_192];
			while (in.read(buffer) != -1) {
				// swallow the request
			}
		}
		catch (IOException ex) {
			// the sender reset the connection, or the tarpit closed
		}
		finally {
			this.sockets.remove(socket);
			this.open.decrementAndGet();
			if (!this.closing) {
				this.released.incrementAndGet();
			}
		}
	}

	@Override
	public void close() {
		this.closing = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// already closed
		}
		for (Socket socket : this.sockets) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// already closed
			}
		}
	}

}
