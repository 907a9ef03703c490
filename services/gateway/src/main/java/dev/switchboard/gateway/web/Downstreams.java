package dev.switchboard.gateway.web;

import java.time.Duration;

import io.grpc.ManagedChannel;

import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.platform.resilience.Edges;
import dev.switchboard.platform.security.InternalHttp;
import dev.switchboard.platform.security.ServiceCredential;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.JwkSetUriJwtDecoderBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * The services behind the gateway: order and inventory over gRPC (channels configured
 * under {@code spring.grpc.client.channel}), notification, analytics and identity over
 * REST. The controllers call them through the edges of {@code switchboard.edges.*}, which
 * make a gRPC channel reconnect at once when its server seems gone; a REST client's read
 * timeout is its edge's timeout, since it cannot take one per call.
 */
@Configuration(proxyBeanMethods = false)
class Downstreams {

	@Bean
	OrderServiceGrpc.OrderServiceBlockingStub orderService(GrpcChannelFactory channels, Edges edges) {
		// Initialise the generated method descriptors now, on one thread. Done lazily
		// under a class lock by the first burst of requests, the waits pinned every
		// carrier thread of the virtual-thread scheduler and the gateway stalled.
		OrderServiceGrpc.getServiceDescriptor();
		InventoryServiceGrpc.getServiceDescriptor();
		ManagedChannel channel = channels.createChannel("order");
		edges.edge("order").reconnectWith(channel::resetConnectBackoff);
		edges.edge("order-create").reconnectWith(channel::resetConnectBackoff);
		return OrderServiceGrpc.newBlockingStub(channel);
	}

	@Bean
	InventoryServiceGrpc.InventoryServiceBlockingStub inventoryService(GrpcChannelFactory channels, Edges edges) {
		ManagedChannel channel = channels.createChannel("inventory");
		edges.edge("inventory").reconnectWith(channel::resetConnectBackoff);
		return InventoryServiceGrpc.newBlockingStub(channel);
	}

	@Bean
	RestClient notificationClient(@Value("${switchboard.services.notification.url}") String url,
			@Value("${switchboard.edges.notification.timeout:2s}") Duration timeout, ServiceCredential credential,
			InternalHttp http, RestClient.Builder builder) {
		return restClient(builder, http.requestsTo("notification", timeout, timeout), url, credential);
	}

	@Bean
	RestClient shippingClient(@Value("${switchboard.services.shipping.url}") String url,
			@Value("${switchboard.edges.shipping.timeout:2s}") Duration timeout, ServiceCredential credential,
			InternalHttp http, RestClient.Builder builder) {
		return restClient(builder, http.requestsTo("shipping", timeout, timeout), url, credential);
	}

	@Bean
	RestClient paymentClient(@Value("${switchboard.services.payment.url}") String url,
			@Value("${switchboard.edges.payment.timeout:2s}") Duration timeout, ServiceCredential credential,
			InternalHttp http, RestClient.Builder builder) {
		return restClient(builder, http.requestsTo("payment", timeout, timeout), url, credential);
	}

	@Bean
	RestClient analyticsClient(@Value("${switchboard.services.analytics.url}") String url,
			@Value("${switchboard.edges.analytics.timeout:2s}") Duration timeout, ServiceCredential credential,
			InternalHttp http, RestClient.Builder builder) {
		return restClient(builder, http.requestsTo("analytics", timeout, timeout), url, credential);
	}

	@Bean
	RestClient identityClient(@Value("${switchboard.services.identity.url}") String url,
			@Value("${switchboard.edges.identity.timeout:2s}") Duration timeout, ServiceCredential credential,
			InternalHttp http, RestClient.Builder builder) {
		return restClient(builder, http.requestsTo("identity", timeout, timeout), url, credential);
	}

	/**
	 * The keys that sign tokens, fetched from the identity service as any call to it is
	 * made (over mutual TLS when the internal hops speak it).
	 */
	@Bean
	JwkSetUriJwtDecoderBuilderCustomizer identityKeys(InternalHttp http,
			@Value("${switchboard.edges.identity.timeout:2s}") Duration timeout) {
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
				http.clientFor("identity").connectTimeout(timeout).build());
		requests.setReadTimeout(timeout);
		return (builder) -> builder.restOperations(new RestTemplate(requests));
	}

	/**
	 * Over {@code requests} (mutual TLS to that service when the internal hops speak it),
	 * with the platform's service credential when it has one; from Spring Boot's builder
	 * (a fresh one per client), whose observation makes each call a span of the caller's
	 * trace and sends the trace context along.
	 */
	private static RestClient restClient(RestClient.Builder builder, ClientHttpRequestFactory requests, String url,
			ServiceCredential credential) {
		return builder.baseUrl(url).requestFactory(requests).defaultHeaders((headers) -> {
			if (credential.present()) {
				headers.set(ServiceCredential.HEADER, credential.value());
			}
		}).build();
	}

}
