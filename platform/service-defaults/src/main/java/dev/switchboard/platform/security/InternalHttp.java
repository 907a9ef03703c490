package dev.switchboard.platform.security;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;

/**
 * HTTP clients to the platform's other services: over mutual TLS as this service when the
 * platform's internal HTTP speaks it ({@code switchboard.tls.http}), each client
 * accepting only the service it is for; in plain text otherwise.
 */
public final class InternalHttp {

	/** Connections kept to one service at most; a bulkhead bounds the calls before. */
	private static final int MAXIMUM_CONNECTIONS = 256;

	private final ServiceIdentity identity;

	/**
	 * @param identity this service's identity; {@code null} for plain text
	 */
	public InternalHttp(ServiceIdentity identity) {
		this.identity = identity;
	}

	/** Plain text: no identity. */
	public static InternalHttp plain() {
		return new InternalHttp(null);
	}

	/** Whether calls go over mutual TLS. */
	public boolean secure() {
		return this.identity != null;
	}

	/**
	 * A client builder for calls to {@code service}: with mutual TLS, it presents this
	 * service's certificate and accepts only one naming {@code service}.
	 */
	public HttpClient.Builder clientFor(String service) {
		HttpClient.Builder builder = HttpClient.newBuilder();
		if (this.identity != null) {
			builder.sslContext(sslContextFor(service));
		}
		return builder;
	}

	/**
	 * Requests to {@code service} for a {@code RestClient}: over a pool of kept-alive
	 * connections (mutual TLS when the internal hops speak it) that the calling thread
	 * reads and writes itself. The JDK's {@link HttpClient} hands every exchange between
	 * its selector thread and an executor, several thread wake-ups a call; on the
	 * blocking Apache client a call is the caller's write and read, which on a virtual
	 * thread wait without holding a carrier. No retries here: the edge retries within its
	 * budget.
	 * @param connectTimeout the longest wait for a new connection
	 * @param readTimeout the longest wait for an answer
	 */
	public ClientHttpRequestFactory requestsTo(String service, Duration connectTimeout, Duration readTimeout) {
		PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create()
			.setMaxConnTotal(MAXIMUM_CONNECTIONS)
			.setMaxConnPerRoute(MAXIMUM_CONNECTIONS)
			.setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
			.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(Timeout.of(connectTimeout))
				.setSocketTimeout(Timeout.of(readTimeout))
				// A connection idle for a second is checked before use: the server may
				// have closed it meanwhile.
				.setValidateAfterInactivity(TimeValue.ofSeconds(1))
				.build());
		if (this.identity != null) {
			connections.setTlsSocketStrategy(new DefaultClientTlsStrategy(sslContextFor(service)));
		}
		CloseableHttpClient client = HttpClients.custom()
			.setConnectionManager(connections.build())
			.disableAutomaticRetries()
			.disableRedirectHandling()
			.disableCookieManagement()
			.disableAuthCaching()
			// Every connection of this client presents the same certificate. Otherwise
			// one that did is marked as that principal's, and the pool, asked for a
			// connection without a principal, opens a new one (a handshake) each call.
			.disableConnectionState()
			.evictIdleConnections(TimeValue.ofSeconds(30))
			.build();
		HttpComponentsClientHttpRequestFactory requests = new HttpComponentsClientHttpRequestFactory(client);
		requests.setReadTimeout(readTimeout);
		requests.setConnectionRequestTimeout(connectTimeout);
		return requests;
	}

	/**
	 * The TLS context of calls to {@code service}.
	 * @throws IllegalStateException in plain text
	 */
	public SSLContext sslContextFor(String service) {
		if (this.identity == null) {
			throw new IllegalStateException("Internal HTTP is plain text here");
		}
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(new KeyManager[] { this.identity.keyManager() },
					new TrustManager[] { this.identity.trustManagerFor(service) }, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot make a TLS context for calls to " + service, ex);
		}
	}

}
