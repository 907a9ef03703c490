package dev.switchboard.gateway.web;

import java.net.http.HttpClient;
import java.time.Duration;

import io.grpc.ManagedChannel;

import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.platform.resilience.Edges;
import dev.switchboard.platform.security.ServiceCredential;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

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
			@Value("${switchboard.edges.notification.timeout:2s}") Duration timeout, ServiceCredential credential) {
		return restClient(url, timeout, credential);
	}

	@Bean
	RestClient analyticsClient(@Value("${switchboard.services.analytics.url}") String url,
			@Value("${switchboard.edges.analytics.timeout:2s}") Duration timeout, ServiceCredential credential) {
		return restClient(url, timeout, credential);
	}

	@Bean
	RestClient identityClient(@Value("${switchboard.services.identity.url}") String url,
			@Value("${switchboard.edges.identity.timeout:2s}") Duration timeout, ServiceCredential credential) {
		return restClient(url, timeout, credential);
	}

	/** With the platform's service credential, when it has one. */
	private static RestClient restClient(String url, Duration timeout, ServiceCredential credential) {
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(timeout).build());
		requests.setReadTimeout(timeout);
		return RestClient.builder().baseUrl(url).requestFactory(requests).defaultHeaders((headers) -> {
			if (credential.present()) {
				headers.set(ServiceCredential.HEADER, credential.value());
			}
		}).build();
	}

}
