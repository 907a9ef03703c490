package dev.switchboard.analytics.adapter.in.grpc;

import io.grpc.stub.StreamObserver;

import dev.switchboard.analytics.application.port.in.SummarizeOrdersUseCase;
import dev.switchboard.analytics.domain.OrderSummary;
import dev.switchboard.contracts.analytics.v1.AnalyticsServiceGrpc;
import dev.switchboard.contracts.analytics.v1.GetSummaryRequest;
import dev.switchboard.contracts.analytics.v1.Summary;

import org.springframework.stereotype.Service;

/**
 * The summary over gRPC, for a gateway whose analytics edge is gRPC
 * ({@code up --edge gateway-analytics=grpc}): the same figures as {@code GET /summary}.
 * Only the gateway may call it (the access policy).
 */
@Service
class AnalyticsGrpcService extends AnalyticsServiceGrpc.AnalyticsServiceImplBase {

	private final SummarizeOrdersUseCase summary;

	AnalyticsGrpcService(SummarizeOrdersUseCase summary) {
		this.summary = summary;
	}

	@Override
	public void getSummary(GetSummaryRequest request, StreamObserver<Summary> response) {
		OrderSummary summary = this.summary.summary();
		response.onNext(Summary.newBuilder()
			.setOrdersCreated(summary.ordersCreated())
			.setOrdersCompleted(summary.ordersCompleted())
			.setOrdersCancelled(summary.ordersCancelled())
			.setRevenueCents(summary.revenueCents())
			.build());
		response.onCompleted();
	}

}
