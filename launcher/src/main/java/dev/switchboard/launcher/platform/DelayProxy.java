package dev.switchboard.launcher.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on the loopback interface in front of one service's port, which delays
 * every chunk of bytes by the same amount in each direction: the network between
 * services, made slow on purpose. {@code switchboard up --delay-proxies} puts one in
 * front of each gRPC server and points the callers at it;
 * {@code switchboard fault SERVICE --network-delay D} (and {@code switchboard chaos}) set
 * the delay through a file in the run directory, {@code <service>.delay}, which holds the
 * delay in milliseconds and until when it lasts.
 *
 * <p>
 * Written by hand because nothing in the platform's stack delays a TCP stream (Toxiproxy,
 * made for this, is a server of its own in Go). Latency, not a bandwidth limit: each
 * chunk is stamped when it arrives and sent when its delay has passed, so chunks that
 * arrive together leave together, and order is kept.
 */
public final class DelayProxy implements AutoCloseable {

	/** How often the delay file is read. */
	private static final Duration WATCH_INTERVAL = Duration.ofMillis(250);

	private final String service;

	private final String targetHost;

	private final int targetPort;

	private final Path delayFile;

	private final Path proxyFile;

	private final ServerSocket server;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private volatile long delayNanos;

	private volatile boolean closed;

	private DelayProxy(String service, int targetPort, Path runDir, ServerSocket server) {
		this.service = service;
		this.targetHost = PlatformRun.host(runDir).replace("[", "").replace("]", "");
		this.targetPort = targetPort;
		this.delayFile = delayFile(runDir, service);
		this.proxyFile = proxyFile(runDir, service);
		this.server = server;
	}

	/**
	 * Listens on {@code port} on loopback and relays every connection to
	 * {@code targetPort}, where the platform on {@code runDir} listens.
	 */
	public static DelayProxy start(String service, int port, int targetPort, Path runDir) throws IOException {
		ServerSocket server = new ServerSocket();
		server.setReuseAddress(true);
		server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		DelayProxy proxy = new DelayProxy(service, targetPort, runDir, server);
		Files.deleteIfExists(proxy.delayFile);
		Files.writeString(proxy.proxyFile, Integer.toString(proxy.port()));
		Thread.ofVirtual().name("delay-proxy-" + service).start(proxy::accept);
		Thread.ofVirtual().name("delay-proxy-" + service + "-watch").start(proxy::watch);
		return proxy;
	}

	/** The file that sets the delay of the proxy in front of {@code service}. */
	static Path delayFile(Path runDir, String service) {
		return runDir.resolve(service + ".delay");
	}

	/** Where a proxy is in front of {@code service}: the file says it, with the port. */
	public static Path proxyFile(Path runDir, String service) {
		return runDir.resolve(service + ".proxy");
	}

	/**
	 * Clears the delay of a running platform's proxy in front of {@code service}, if any.
	 */
	public static void clearDelay(Path runDir, String service) throws IOException {
		Files.deleteIfExists(delayFile(runDir, service));
	}

	/**
	 * Sets the delay of a running platform's proxy: {@code delay} until {@code until}.
	 */
	public static void setDelay(Path runDir, String service, Duration delay, Instant until) throws IOException {
		if (!Files.exists(proxyFile(runDir, service))) {
			throw new IllegalStateException("no delay proxy in front of " + service
					+ " (start the platform with ./switchboard up --delay-proxies; proxied: the gRPC servers)");
		}
		Path written = runDir.resolve(service + ".delay.tmp");
		Files.writeString(written, delay.toMillis() + " " + until.toEpochMilli());
		Files.move(written, delayFile(runDir, service), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
				java.nio.file.StandardCopyOption.ATOMIC_MOVE);
	}

	public int port() {
		return this.server.getLocalPort();
	}

	Duration delay() {
		return Duration.ofNanos(this.delayNanos);
	}

	private void watch() {
		while (!this.closed) {
			long delay = 0;
			try {
				String[] setting = Files.readString(this.delayFile).strip().split(" ");
				if (setting.length == 2 && System.currentTimeMillis() < Long.parseLong(setting[1])) {
					delay = Duration.ofMillis(Long.parseLong(setting[0])).toNanos();
				}
			}
			catch (NoSuchFileException | NumberFormatException ex) {
				// no delay set, or a file being written: no delay
			}
			catch (IOException ex) {
				// unreadable now; keep the delay as it was
				delay = this.delayNanos;
			}
			this.delayNanos = Math.max(0, delay);
			LockSupport.parkNanos(WATCH_INTERVAL.toNanos());
		}
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				Thread.ofVirtual().name("delay-proxy-" + this.service + "-connect").start(() -> relay(client));
			}
			catch (IOException ex) {
				if (!this.closed) {
					// Accept failed: do not spin.
					LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
				}
			}
		}
	}

	private void relay(Socket client) {
		Socket target = new Socket();
		try {
			target.setTcpNoDelay(true);
			client.setTcpNoDelay(true);
			target.connect(new InetSocketAddress(this.targetHost, this.targetPort), 5_000);
		}
		catch (IOException ex) {
			// The service is down: the caller sees its connection closed, as it would
			// without us.
			closeQuietly(client);
			closeQuietly(target);
			return;
		}
		this.open.add(client);
		this.open.add(target);
		pump(client, target);
		pump(target, client);
	}

	/**
	 * One direction: a reader stamps each chunk, a writer sends it once its delay has
	 * passed.
	 */
	private void pump(Socket from, Socket to) {
		BlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
		Thread.ofVirtual().start(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					chunks.add(new Chunk(System.nanoTime() + this.delayNanos, Arrays.copyOf(buffer, read)));
				}
			}
			catch (IOException ex) {
				// the connection is gone
			}
			chunks.add(Chunk.END);
		});
		Thread.ofVirtual().start(() -> {
			try (OutputStream out = to.getOutputStream()) {
				while (true) {
					Chunk chunk = chunks.take();
					if (chunk == Chunk.END) {
						break;
					}
					long wait;
					while ((wait = chunk.due() - System.nanoTime()) > 0) {
						LockSupport.parkNanos(wait);
					}
					out.write(chunk.bytes());
					out.flush();
				}
			}
			catch (IOException ex) {
				// the other side is gone
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				// Either side ending ends the whole connection.
				closeQuietly(from);
				closeQuietly(to);
				this.open.remove(from);
				this.open.remove(to);
			}
		});
	}

	private record Chunk(long due, byte[] bytes) {

		static final Chunk END = new Chunk(0, new byte[0]);

	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			Files.deleteIfExists(this.proxyFile);
			Files.deleteIfExists(this.delayFile);
		}
		catch (IOException ex) {
			// a stale file names a proxy that no longer answers: setting its delay does
			// nothing
		}
		closeQuietly(this.server);
		this.open.forEach(DelayProxy::closeQuietly);
	}

	private static void closeQuietly(ServerSocket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
