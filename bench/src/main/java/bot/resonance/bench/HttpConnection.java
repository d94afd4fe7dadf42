package bot.resonance.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A keep-alive HTTP/1.1 connection over a plain socket, one request at a time, for the
 * benchmark's closed-loop clients: it writes a request the client built and reads the
 * response (Content-Length or chunked) into a reused buffer, reconnecting after
 * {@code Connection: close}. Nothing is allocated per request beyond what the socket does.
 */
final class HttpConnection {

	private final String host;

	private final int port;

	private byte[] in = new byte[16 * 1024];

	private int inPos;

	private int inLimit;

	private byte[] responseBody = new byte[4096];

	private int responseLength;

	private boolean closeAfterResponse;

	private Socket socket;

	private InputStream input;

	private OutputStream output;

	HttpConnection(String host, int port) {
		this.host = host;
		this.port = port;
	}

	boolean isOpen() {
		return this.socket != null;
	}

	/** Sends a request (connecting first if needed) and reads its response; returns the status. */
	int exchange(byte[] request, int length) throws IOException {
		if (this.socket == null) {
			connect();
		}
		this.output.write(request, 0, length);
		return readResponse();
	}

	void connect() throws IOException {
		Socket s = new Socket();
		s.setTcpNoDelay(true);
		s.setSoTimeout(120_000);
		s.connect(new InetSocketAddress(this.host, this.port), 10_000);
		this.socket = s;
		this.input = s.getInputStream();
		this.output = s.getOutputStream();
	}

	void closeQuietly() {
		if (this.socket != null) {
			try {
				this.socket.close();
			}
			catch (IOException ignored) {
				// closing anyway
			}
		}
		this.socket = null;
		this.input = null;
		this.output = null;
	}

	static void pause() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Reads one HTTP/1.1 response: status, the headers that frame the body
	 * (Content-Length, chunked, Connection: close) and the body into
	 * {@link #responseBody}. Returns the status code.
	 */
	private int readResponse() throws IOException {
		this.inPos = 0;
		this.inLimit = 0;
		this.responseLength = 0;
		this.closeAfterResponse = false;
		int headerEnd;
		int searchFrom = 0;
		while ((headerEnd = Bytes.indexOf(this.in, searchFrom, this.inLimit, (byte) '\r', (byte) '\n', (byte) '\r',
				(byte) '\n')) < 0) {
			searchFrom = Math.max(0, this.inLimit - 3);
			fill();
		}
		if (headerEnd < 12 || this.in[0] != 'H') {
			throw new IOException("Malformed response");
		}
		int status = (this.in[9] - '0') * 100 + (this.in[10] - '0') * 10 + (this.in[11] - '0');
		long contentLength = -1;
		boolean chunked = false;
		int line = Bytes.indexOf(this.in, 0, headerEnd + 2, (byte) '\r', (byte) '\n') + 2;
		while (line < headerEnd + 2) {
			int lineEnd = Bytes.indexOf(this.in, line, headerEnd + 2, (byte) '\r', (byte) '\n');
			if (Bytes.startsWithIgnoreCase(this.in, line, lineEnd, "content-length:")) {
				contentLength = 0;
				for (int i = line + 15; i < lineEnd; i++) {
					byte c = this.in[i];
					if (c >= '0' && c <= '9') {
						contentLength = contentLength * 10 + (c - '0');
					}
				}
			}
			else if (Bytes.startsWithIgnoreCase(this.in, line, lineEnd, "transfer-encoding:")) {
				chunked = Bytes.containsIgnoreCase(this.in, line + 18, lineEnd, "chunked");
			}
			else if (Bytes.startsWithIgnoreCase(this.in, line, lineEnd, "connection:")) {
				this.closeAfterResponse = Bytes.containsIgnoreCase(this.in, line + 11, lineEnd, "close");
			}
			line = lineEnd + 2;
		}
		this.inPos = headerEnd + 4;
		if (chunked) {
			while (true) {
				int sizeEnd;
				while ((sizeEnd = Bytes.indexOf(this.in, this.inPos, this.inLimit, (byte) '\r', (byte) '\n')) < 0) {
					fill();
				}
				int chunk = hex(this.inPos, sizeEnd);
				this.inPos = sizeEnd + 2;
				if (chunk == 0) {
					// trailers, up to an empty line
					while (true) {
						int end;
						while ((end = Bytes.indexOf(this.in, this.inPos, this.inLimit, (byte) '\r', (byte) '\n')) < 0) {
							fill();
						}
						boolean empty = end == this.inPos;
						this.inPos = end + 2;
						if (empty) {
							break;
						}
					}
					break;
				}
				copyBody(chunk);
				while (this.inLimit - this.inPos < 2) {
					fill();
				}
				this.inPos += 2;
			}
		}
		else if (contentLength >= 0) {
			copyBody((int) contentLength);
		}
		else {
			// No framing: the body runs to the end of the connection.
			this.closeAfterResponse = true;
			try {
				while (true) {
					copyBody(this.inLimit - this.inPos);
					fill();
				}
			}
			catch (EOFException endOfBody) {
				// done
			}
		}
		if (this.closeAfterResponse) {
			closeQuietly();
		}
		return status;
	}

	private void copyBody(int length) throws IOException {
		int remaining = length;
		while (remaining > 0) {
			if (this.inPos == this.inLimit) {
				fill();
			}
			int n = Math.min(remaining, this.inLimit - this.inPos);
			if (this.responseLength + n > this.responseBody.length) {
				this.responseBody = Arrays.copyOf(this.responseBody,
						Math.max(this.responseBody.length * 2, this.responseLength + n));
			}
			System.arraycopy(this.in, this.inPos, this.responseBody, this.responseLength, n);
			this.responseLength += n;
			this.inPos += n;
			remaining -= n;
		}
	}

	/** Reads more bytes into {@link #in}, compacting or growing it first if full. */
	private void fill() throws IOException {
		if (this.inLimit == this.in.length) {
			if (this.inPos > 0) {
				System.arraycopy(this.in, this.inPos, this.in, 0, this.inLimit - this.inPos);
				this.inLimit -= this.inPos;
				this.inPos = 0;
			}
			else {
				this.in = Arrays.copyOf(this.in, this.in.length * 2);
			}
		}
		int n = this.input.read(this.in, this.inLimit, this.in.length - this.inLimit);
		if (n < 0) {
			throw new EOFException("Connection closed by the server");
		}
		this.inLimit += n;
	}

	/** Whether the response body has {@code field} followed by {@code value}. */
	boolean contains(byte[] field, byte[] value) {
		int at = Bytes.indexOf(this.responseBody, 0, this.responseLength, field);
		if (at < 0) {
			return false;
		}
		int from = at + field.length;
		if (from + value.length >= this.responseLength) {
			return false;
		}
		for (int i = 0; i < value.length; i++) {
			if (this.responseBody[from + i] != value[i]) {
				return false;
			}
		}
		return this.responseBody[from + value.length] == '"';
	}

	/** The string value after {@code field} in the response body, if any. */
	String field(byte[] field) {
		int at = Bytes.indexOf(this.responseBody, 0, this.responseLength, field);
		if (at < 0) {
			return null;
		}
		int from = at + field.length;
		int end = from;
		while (end < this.responseLength && this.responseBody[end] != '"' && end - from < 80) {
			end++;
		}
		return new String(this.responseBody, from, end - from, StandardCharsets.UTF_8);
	}

	/** A chunk-size line: hex digits, then optional spaces or ";extensions". */
	private int hex(int from, int to) throws IOException {
		int value = 0;
		int digits = 0;
		for (int i = from; i < to; i++) {
			int c = this.in[i];
			int digit = (c >= '0' && c <= '9') ? c - '0'
					: (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
			if (digit < 0) {
				break;
			}
			value = value * 16 + digit;
			digits++;
		}
		if (digits == 0) {
			throw new IOException("Malformed chunk size");
		}
		return value;
	}

	/** The last response's body, as text. */
	String body() {
		return new String(this.responseBody, 0, this.responseLength, StandardCharsets.UTF_8);
	}

	/** Whether the response body contains {@code needle}. */
	boolean bodyContains(byte[] needle) {
		return Bytes.indexOf(this.responseBody, 0, this.responseLength, needle) >= 0;
	}

}
