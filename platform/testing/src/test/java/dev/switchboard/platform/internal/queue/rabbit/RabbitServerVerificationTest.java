package dev.switchboard.platform.internal.queue.rabbit;

import java.net.URI;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.Test;

import dev.switchboard.embedded.CertificateAuthority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Over {@code amqps://} the work queues check whom they talk to: a server whose
 * certificate no trusted authority issued is refused at the handshake, where the client
 * library alone would have trusted it.
 */
class RabbitServerVerificationTest {

	@Test
	void aServerWithAnUntrustedCertificateIsRefusedAtTheHandshake() throws Exception {
		CertificateAuthority.Issued server = CertificateAuthority.create("Unknown CA")
			.issue("rabbitmq", Duration.ofHours(1));
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		store.setKeyEntry("server", server.key(), new char[0], new Certificate[] { server.certificate() });
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(store, new char[0]);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), null, null);
		try (SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0)) {
			CompletableFuture<Void> accepting = CompletableFuture.runAsync(() -> {
				try (SSLSocket socket = (SSLSocket) listener.accept()) {
					socket.startHandshake();
					socket.getInputStream().read();
				}
				catch (Exception ex) {
					// The client gives up: what this test wants.
				}
			});
			URI uri = URI.create("amqps://guest:guest@localhost:" + listener.getLocalPort());
			ConnectionFactory factory = new ConnectionFactory();
			factory.setUri(uri);
			RabbitWorkQueues.verifyServer(factory, uri);
			factory.setConnectionTimeout(5_000);
			factory.setHandshakeTimeout(5_000);

			Throwable refused = catchThrowable(() -> factory.newConnection().close());

			assertThat(refused).hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class)
				.satisfies((ex) -> assertThat(ex).isInstanceOf(SSLHandshakeException.class));
			accepting.join();
		}
	}

}
