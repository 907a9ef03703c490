package dev.switchboard.embedded;

import java.security.KeyStore;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLEngine;

import org.apache.kafka.common.security.auth.SslEngineFactory;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's own SSL engine factory, rebuilt when its key store file has been replaced: a
 * broker whose certificate is renewed under it presents the new one from its next
 * connection on, on every listener (the controller's too) and as a client of its own
 * controller. Kafka reloads a changed key store only when told to through a dynamic
 * configuration update, which reaches the client listeners but not the controller's in a
 * combined broker and controller; this class asks the file itself, at most once a second,
 * when a connection opens.
 */
public final class RenewingSslEngineFactory implements SslEngineFactory {

	private static final Logger log = LoggerFactory.getLogger(RenewingSslEngineFactory.class);

	private static final long CHECK_EVERY_NANOS = 1_000_000_000L;

	private Map<String, Object> configs;

	private volatile DefaultSslEngineFactory current;

	private volatile long checked;

	@Override
	@SuppressWarnings("unchecked")
	public void configure(Map<String, ?> configs) {
		this.configs = (Map<String, Object>) configs;
		this.current = build();
		this.checked = System.nanoTime();
	}

	private DefaultSslEngineFactory build() {
		DefaultSslEngineFactory factory = new DefaultSslEngineFactory();
		factory.configure(this.configs);
		return factory;
	}

	private DefaultSslEngineFactory current() {
		long now = System.nanoTime();
		if (now - this.checked >= CHECK_EVERY_NANOS) {
			synchronized (this) {
				if (now - this.checked >= CHECK_EVERY_NANOS) {
					this.checked = now;
					renewIfReplaced();
				}
			}
		}
		return this.current;
	}

	private void renewIfReplaced() {
		DefaultSslEngineFactory previous = this.current;
		if (!previous.shouldBeRebuilt(this.configs)) {
			return;
		}
		try {
			this.current = build();
			log.info("Loaded a renewed certificate from {}", this.configs.get("ssl.keystore.location"));
			closeQuietly(previous);
		}
		catch (RuntimeException ex) {
			// A half-written or foreign file: keep the certificate that works.
			log.warn("Could not load the renewed key store {}; keeping the current one: {}",
					this.configs.get("ssl.keystore.location"), ex.toString());
		}
	}

	@Override
	public SSLEngine createClientSslEngine(String peerHost, int peerPort, String endpointIdentification) {
		return current().createClientSslEngine(peerHost, peerPort, endpointIdentification);
	}

	@Override
	public SSLEngine createServerSslEngine(String peerHost, int peerPort) {
		return current().createServerSslEngine(peerHost, peerPort);
	}

	@Override
	public boolean shouldBeRebuilt(Map<String, Object> nextConfigs) {
		return this.current.shouldBeRebuilt(nextConfigs);
	}

	@Override
	public Set<String> reconfigurableConfigs() {
		return this.current.reconfigurableConfigs();
	}

	@Override
	public KeyStore keystore() {
		return this.current.keystore();
	}

	@Override
	public KeyStore truststore() {
		return this.current.truststore();
	}

	@Override
	public void close() {
		this.current.close();
	}

	private static void closeQuietly(DefaultSslEngineFactory factory) {
		try {
			factory.close();
		}
		catch (RuntimeException ex) {
			log.debug("Closing a replaced SSL engine factory", ex);
		}
	}

}
