package dev.switchboard.platform.security;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * HTTP clients to the platform's other services: over mutual TLS as this service when the
 * platform's internal HTTP speaks it ({@code switchboard.tls.http}), each client
 * accepting only the service it is for; in plain text otherwise.
 */
public final class InternalHttp {

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
