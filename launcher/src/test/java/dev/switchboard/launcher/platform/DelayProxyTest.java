package dev.switchboard.launcher.platform;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import dev.switchboard.embedded.FreePorts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** The delay proxy over real loopback sockets, in front of an echo server. */
class DelayProxyTest {

	@Test
	void relaysBothWaysAndDelaysEachWayByTheDelaySetInItsFileUntilItsTimeIsUp(@TempDir Path runDir) throws Exception {
		try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
				DelayProxy proxy = DelayProxy.start("inventory", FreePorts.next(), echo.getLocalPort(), runDir)) {
			Thread.ofVirtual().start(() -> echo(echo));
			assertThat(Files.readString(DelayProxy.proxyFile(runDir, "inventory")))
				.isEqualTo(Integer.toString(proxy.port()));

			try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
				assertThat(roundTrip(client, "before")).isEqualTo("before");

				DelayProxy.setDelay(runDir, "inventory", Duration.ofMillis(300), Instant.now().plusSeconds(60));
				await().atMost(Duration.ofSeconds(5)).until(() -> proxy.delay().equals(Duration.ofMillis(300)));
				long start = System.nanoTime();
				assertThat(roundTrip(client, "slow")).isEqualTo("slow");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).as("300 ms each way")
					.isGreaterThanOrEqualTo(Duration.ofMillis(600));

				DelayProxy.setDelay(runDir, "inventory", Duration.ofMillis(300), Instant.now().minusSeconds(1));
				await().atMost(Duration.ofSeconds(5)).until(() -> proxy.delay().isZero());
				assertThat(roundTrip(client, "after")).isEqualTo("after");
			}
		}
		assertThat(DelayProxy.proxyFile(runDir, "inventory")).doesNotExist();
	}

	@Test
	void aDelayForAServiceWithoutAProxyIsRefusedWithHowToGetOne(@TempDir Path runDir) {
		assertThatIllegalStateException()
			.isThrownBy(
					() -> DelayProxy.setDelay(runDir, "payment", Duration.ofMillis(100), Instant.now().plusSeconds(5)))
			.withMessageContaining("--delay-proxies");
	}

	private static String roundTrip(Socket client, String text) throws IOException {
		OutputStream out = client.getOutputStream();
		out.write(text.length());
		out.write(text.getBytes());
		out.flush();
		DataInputStream in = new DataInputStream(client.getInputStream());
		int length = in.read();
		byte[] bytes = new byte[length];
		in.readFully(bytes);
		return new String(bytes);
	}

	private static void echo(ServerSocket server) {
		try (Socket socket = server.accept();
				InputStream in = socket.getInputStream();
				OutputStream out = socket.getOutputStream()) {
			byte[] buffer = new byte[1024];
			int read;
			while ((read = in.read(buffer)) >= 0) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// the test is over
		}
	}

}
