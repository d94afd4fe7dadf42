package bot.resonance.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port that refuses connections for as long as it is open: a socket bound to
 * it that does not listen. Unlike a port picked free and closed, nothing else can start
 * listening on it meanwhile.
 */
public final class RefusingPort implements AutoCloseable {

	private final Socket socket;

	private RefusingPort(Socket socket) {
		this.socket = socket;
	}

	public static RefusingPort open() {
		Socket socket = new Socket();
		try {
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			return new RefusingPort(socket);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.socket.getLocalPort();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
