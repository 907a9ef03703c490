package dev.switchboard.gateway.analytics;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;

import dev.switchboard.contracts.analytics.v1.AnalyticsServiceGrpc;
import dev.switchboard.contracts.analytics.v1.GetSummaryRequest;
import dev.switchboard.contracts.analytics.v1.Summary;
import dev.switchboard.gateway.web.GrpcErrors;
import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.Edges;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.stereotype.Component;

/**
 * {@code GetSummary} on analytics' gRPC port (channel {@code analytics}), through the
 * same edge {@code analytics}, its deadline passed on as the call's.
 */
@Component
@ConditionalOnProperty(name = "switchboard.transports.analytics", havingValue = "grpc")
class GrpcAnalyticsSummaries implements AnalyticsSummaries {

	private final AnalyticsServiceGrpc.AnalyticsServiceBlockingStub analytics;

	private final Edge edge;

	GrpcAnalyticsSummaries(GrpcChannelFactory channels, Edges edges) {
		// Initialised now, on one thread (see Downstreams).
		AnalyticsServiceGrpc.getServiceDescriptor();
		ManagedChannel channel = channels.createChannel("analytics");
		this.analytics = AnalyticsServiceGrpc.newBlockingStub(channel);
		this.edge = edges.edge("analytics").reconnectWith(channel::resetConnectBackoff);
	}

	@Override
	public Map<String, Object> summary() {
		Summary summary;
		try {
			summary = this.edge.call(true, (deadline) -> this.analytics.withDeadlineAfter(deadline)
				.getSummary(GetSummaryRequest.getDefaultInstance()));
		}
		catch (StatusRuntimeException ex) {
			throw GrpcErrors.translate(ex, Map.of());
		}
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("ordersCreated", summary.getOrdersCreated());
		view.put("ordersCompleted", summary.getOrdersCompleted());
		view.put("ordersCancelled", summary.getOrdersCancelled());
		// As the REST route relays it: analytics writes revenue as a decimal, which the
		// gateway reads into a double (100.00 answers as 100.0).
		view.put("revenue", BigDecimal.valueOf(summary.getRevenueCents(), 2).doubleValue());
		return view;
	}

}
