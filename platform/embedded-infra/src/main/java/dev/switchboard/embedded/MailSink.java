package dev.switchboard.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.subethamail.smtp.server.SMTPServer;

/**
 * An SMTP server that accepts every message and keeps it as an {@code .eml} file in a
 * directory, so notifications are really sent over SMTP and can be read afterwards
 * without a mail account.
 */
public final class MailSink implements AutoCloseable {

	private final SMTPServer server;

	private final Path directory;

	private final AtomicLong received = new AtomicLong();

	private final AtomicLong sessions = new AtomicLong();

	private MailSink(Path directory, int port) {
		this.directory = directory;
		// Only this machine may hand the sink mail: from elsewhere it would be a way to
		// fill the disk.
		this.server = SMTPServer.port(port)
			.bindAddress(InetAddress.getLoopbackAddress())
			.softwareName("Switchboard mail sink")
			.sessionIdFactory(() -> "session-" + this.sessions.incrementAndGet())
			.simpleMessageListener(new org.subethamail.smtp.helper.SimpleMessageListener() {
				@Override
				public boolean accept(String from, String recipient) {
					return true;
				}

				@Override
				public void deliver(String from, String recipient, InputStream data) throws IOException {
					long n = MailSink.this.received.incrementAndGet();
					Path file = directory.resolve(System.currentTimeMillis() + "-" + n + ".eml");
					Files.copy(data, file);
				}
			})
			.build();
	}

	public static MailSink start(Path directory, int port) throws IOException {
		Files.createDirectories(directory);
		MailSink sink = new MailSink(directory, port);
		sink.server.start();
		return sink;
	}

	public int port() {
		return this.server.getPortAllocated();
	}

	public Path directory() {
		return this.directory;
	}

	/** Messages received since this sink started. */
	public long received() {
		return this.received.get();
	}

	/** SMTP connections accepted since this sink started. */
	public long sessions() {
		return this.sessions.get();
	}

	@Override
	public void close() {
		this.server.stop();
	}

}
