package dev.switchboard.platform.internal.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;

import dev.switchboard.platform.security.ServiceCredential;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.grpc.client.GlobalClientInterceptor;
import org.springframework.grpc.server.GlobalServerInterceptor;

/**
 * Listening beyond this machine is a choice that costs a credential. A service whose
 * HTTP, gRPC or management listener is bound to anything but a loopback address refuses
 * to start without {@code switchboard.service-credential} (its gRPC listener may, when it
 * has a service identity, and its HTTP listeners too when they speak mutual TLS
 * ({@code switchboard.tls.http}): certificates guard them); with one, every call to it
 * must carry it (HTTP and gRPC) and it sends it on every call it makes. The gateway's
 * public listener ({@code switchboard.public-listener=true}) is for users, who bring
 * OAuth2 tokens instead.
 */
@AutoConfiguration
public class ServiceCredentialAutoConfiguration {

	@Bean
	ServiceCredential serviceCredential(@Value("${switchboard.service-credential:}") String value) {
		return new ServiceCredential(value);
	}

	/** Refuses to start a service that listens beyond loopback without the credential. */
	@Bean
	SmartInitializingSingleton listenersNeedTheCredentialBeyondLoopback(Environment environment,
			ServiceCredential credential) {
		return () -> {
			List<String> exposed = exposedListeners(environment);
			if (!exposed.isEmpty() && !credential.present()) {
				throw new IllegalStateException(String.join(", ", exposed)
						+ " listens beyond this machine, where anyone could call it: set the platform's shared "
						+ "switchboard.service-credential (environment SWITCHBOARD_SERVICE_CREDENTIAL) on every "
						+ "service, or bind 127.0.0.1");
			}
		};
	}

	static List<String> exposedListeners(Environment environment) {
		List<String> exposed = new ArrayList<>();
		boolean publicListener = environment.getProperty("switchboard.public-listener", Boolean.class, false);
		boolean identity = environment.containsProperty("switchboard.tls.identity-file");
		// With a service identity on internal HTTP, the HTTP port takes only callers with
		// platform certificates (the gateway's: its actuator port), wherever it listens.
		boolean httpTls = identity && environment.getProperty("switchboard.tls.http", Boolean.class, false);
		if (!publicListener && !httpTls) {
			check(environment, "server.address", exposed);
		}
		boolean managementTls = httpTls && (publicListener || !environment.containsProperty("management.server.port"));
		if (!managementTls) {
			check(environment, "management.server.address", exposed);
		}
		if (!identity) {
			// With a service identity the gRPC server takes only callers with platform
			// certificates, wherever it listens.
			check(environment, "spring.grpc.server.address", exposed);
		}
		return exposed;
	}

	private static void check(Environment environment, String property, List<String> exposed) {
		if (!environment.containsProperty(property)) {
			return;
		}
		String address = environment.getProperty(property, "").strip();
		if (address.equals("*") || address.isEmpty() || !isLoopback(address)) {
			exposed.add(property + "=" + (address.isEmpty() ? "(every address)" : address));
		}
	}

	private static boolean isLoopback(String address) {
		try {
			String host = address.startsWith("[") ? address.substring(1, address.indexOf(']')) : address;
			return InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (UnknownHostException | RuntimeException ex) {
			return false;
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@Conditional(CredentialPresent.class)
	@ConditionalOnProperty(name = "switchboard.public-listener", havingValue = "false", matchIfMissing = true)
	static class Http {

		@Bean
		FilterRegistrationBean<ServiceCredentialFilter> serviceCredentialFilter(ServiceCredential credential) {
			FilterRegistrationBean<ServiceCredentialFilter> registration = new FilterRegistrationBean<>(
					new ServiceCredentialFilter(credential));
			// Before the admin token: a caller from outside the platform is turned away
			// first.
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 4);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(GlobalServerInterceptor.class)
	@Conditional(CredentialPresent.class)
	static class GrpcServer {

		@Bean
		@GlobalServerInterceptor
		ServerInterceptor serviceCredentialServerInterceptor(ServiceCredential credential) {
			return ServiceCredentialGrpc.server(credential);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(GlobalClientInterceptor.class)
	@Conditional(CredentialPresent.class)
	static class GrpcClient {

		@Bean
		@GlobalClientInterceptor
		ClientInterceptor serviceCredentialClientInterceptor(ServiceCredential credential) {
			return ServiceCredentialGrpc.client(credential);
		}

	}

	/** A credential is configured (not blank). */
	static class CredentialPresent extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String value = context.getEnvironment().getProperty("switchboard.service-credential", "");
			return value.isBlank() ? ConditionOutcome.noMatch("no switchboard.service-credential")
					: ConditionOutcome.match("switchboard.service-credential is set");
		}

	}

}
