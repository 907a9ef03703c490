package dev.switchboard.platform.internal.security;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;

import io.grpc.ServerInterceptor;
import io.grpc.TlsChannelCredentials;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.switchboard.platform.internal.resilience.ResilienceAutoConfiguration;
import dev.switchboard.contracts.access.AccessPolicy;
import dev.switchboard.platform.security.ServiceIdentity;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.client.ChannelCredentialsProvider;
import org.springframework.grpc.server.GlobalServerInterceptor;

/**
 * Mutual TLS on the internal hops, when the launcher gave this service an identity
 * ({@code switchboard.tls.identity-file}, its key and certificate, and
 * {@code switchboard.tls.trust-file}, the authorities it trusts). Then:
 * <ul>
 * <li>the gRPC server asks every caller for a certificate (the defaults environment
 * post-processor points {@code spring.grpc.server.ssl} at the {@value #BUNDLE} SSL bundle
 * registered here) and lets a call through only if the {@link AccessPolicy} grants it to
 * the caller's identity;</li>
 * <li>each gRPC channel presents this service's certificate and accepts only a server
 * whose certificate names the service the channel is for;</li>
 * <li>Kafka's clients do the same with the broker ({@value #KAFKA_BUNDLE}) when
 * {@code switchboard.tls.kafka} is set: the broker's ACLs then decide by this identity
 * what the service may write and read;</li>
 * <li>both files are checked for a new version every
 * {@code switchboard.tls.reload-interval} (1 s): a renewed certificate is used from the
 * next connection on, without a restart.</li>
 * </ul>
 */
@AutoConfiguration(beforeName = "org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration")
@ConditionalOnProperty("switchboard.tls.identity-file")
public class MutualTlsAutoConfiguration {

	/** The SSL bundle of this service's identity. */
	public static final String BUNDLE = "switchboard-mtls";

	/**
	 * The SSL bundle of this service's identity that trusts only the Kafka broker's
	 * certificate ({@code spiffe://switchboard/kafka}).
	 */
	public static final String KAFKA_BUNDLE = "switchboard-mtls-kafka";

	/**
	 * The SSL bundle of the internal HTTP port: this service's identity as a PEM key
	 * store, which Tomcat reads and Spring Boot reloads when renewed (Tomcat takes key
	 * stores, not the reloading managers of {@value #BUNDLE}).
	 */
	public static final String HTTP_BUNDLE = "switchboard-mtls-http";

	/** The identity of the platform's embedded Kafka broker. */
	public static final String KAFKA = "kafka";

	/** Picks up renewed certificates from its creation on. */
	@Bean(destroyMethod = "close")
	ServiceIdentity serviceIdentity(@Value("${switchboard.tls.identity-file}") Path identityFile,
			@Value("${switchboard.tls.trust-file}") Path trustFile,
			@Value("${switchboard.tls.reload-interval:1s}") String every) {
		return new ServiceIdentity(identityFile, trustFile).reloadingEvery(DurationStyle.detectAndParse(every));
	}

	@Bean
	SslBundleRegistrar serviceIdentityBundle(ServiceIdentity identity) {
		SslManagerBundle managers = SslManagerBundle.of(new FixedKeyManagers(identity.keyManager()),
				new FixedTrustManagers(identity.trustManager()));
		SslManagerBundle kafka = SslManagerBundle.of(new FixedKeyManagers(identity.keyManager()),
				new FixedTrustManagers(identity.trustManagerFor(KAFKA)));
		return (registry) -> {
			registry.registerBundle(BUNDLE,
					SslBundle.of(SslStoreBundle.NONE, null, null, SslBundle.DEFAULT_PROTOCOL, managers));
			registry.registerBundle(KAFKA_BUNDLE,
					SslBundle.of(SslStoreBundle.NONE, null, null, SslBundle.DEFAULT_PROTOCOL, kafka));
		};
	}

	@Bean
	AccessPolicy accessPolicy() {
		return AccessPolicy.platform();
	}

	// The condition again on each nested class: a component scan of the package (a test
	// application) finds them without their enclosing auto-configuration.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(GlobalServerInterceptor.class)
	@ConditionalOnProperty("switchboard.tls.identity-file")
	static class GrpcServer {

		/** First: a caller the policy refuses takes no permit and reaches no handler. */
		@Bean
		@GlobalServerInterceptor
		@Order(ResilienceAutoConfiguration.SHEDDING_ORDER - 5)
		ServerInterceptor callerAuthorization(AccessPolicy policy, ObjectProvider<MeterRegistry> meters,
				ServiceIdentity identity) {
			return new CallerAuthorization(policy, meters.getIfAvailable(SimpleMeterRegistry::new), identity.name());
		}

	}

	/**
	 * The internal HTTP port (the gateway's public one is not) lets a request through
	 * only as the policy grants its path to the caller; Tomcat has already required the
	 * caller's certificate (the defaults post-processor sets {@code server.ssl}).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnProperty("switchboard.tls.identity-file")
	@ConditionalOnProperty(name = "switchboard.tls.http", havingValue = "true")
	@ConditionalOnProperty(name = "switchboard.public-listener", havingValue = "false", matchIfMissing = true)
	static class HttpServer {

		/** Before anything else, the service credential's check included. */
		@Bean
		FilterRegistrationBean<HttpCallerAuthorization> httpCallerAuthorization(AccessPolicy policy,
				ObjectProvider<MeterRegistry> meters, ServiceIdentity identity) {
			FilterRegistrationBean<HttpCallerAuthorization> registration = new FilterRegistrationBean<>(
					new HttpCallerAuthorization(policy, meters.getIfAvailable(SimpleMeterRegistry::new),
							identity.name()));
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ChannelCredentialsProvider.class)
	@ConditionalOnProperty("switchboard.tls.identity-file")
	static class GrpcClient {

		/**
		 * A channel is named after the service it reaches ({@code order},
		 * {@code inventory}): that service's certificate is the only one it accepts.
		 */
		@Bean
		ChannelCredentialsProvider serviceIdentityChannelCredentials(ServiceIdentity identity) {
			return (channel) -> TlsChannelCredentials.newBuilder()
				.keyManager(identity.keyManager())
				.trustManager(identity.trustManagerFor(channel))
				.build();
		}

	}

	/**
	 * Hands out the one key manager it was made with, whatever it is initialised with.
	 */
	static final class FixedKeyManagers extends KeyManagerFactory {

		FixedKeyManagers(KeyManager manager) {
			super(new KeyManagerFactorySpi() {

				@Override
				protected void engineInit(KeyStore keyStore, char[] password) {
				}

				@Override
				protected void engineInit(ManagerFactoryParameters parameters) {
				}

				@Override
				protected KeyManager[] engineGetKeyManagers() {
					return new KeyManager[] { manager };
				}

			}, PROVIDER, "switchboard");
		}

	}

	/** Hands out the one trust manager it was made with. */
	static final class FixedTrustManagers extends TrustManagerFactory {

		FixedTrustManagers(TrustManager manager) {
			super(new TrustManagerFactorySpi() {

				@Override
				protected void engineInit(KeyStore keyStore) {
				}

				@Override
				protected void engineInit(ManagerFactoryParameters parameters) {
				}

				@Override
				protected TrustManager[] engineGetTrustManagers() {
					return new TrustManager[] { manager };
				}

			}, PROVIDER, "switchboard");
		}

	}

	private static final Provider PROVIDER = new Provider("switchboard", "1", "the service identity's managers") {
	};

}
