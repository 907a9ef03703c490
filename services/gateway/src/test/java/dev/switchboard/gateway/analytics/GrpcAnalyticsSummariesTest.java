package dev.switchboard.gateway.analytics;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.analytics.v1.AnalyticsServiceGrpc;
import dev.switchboard.contracts.analytics.v1.GetSummaryRequest;
import dev.switchboard.contracts.analytics.v1.Summary;
import dev.switchboard.gateway.web.UpstreamException;
import dev.switchboard.platform.resilience.Edges;
import dev.switchboard.testing.StandIns;

import org.springframework.grpc.client.GrpcChannelFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway's gRPC reading of the summary against a stand-in analytics on a real
 * socket: the same map as the REST route relays, and analytics' failures answered as the
 * gateway answers any gRPC service's.
 */
class GrpcAnalyticsSummariesTest {

	/** What the stand-in answers next: a summary, or a status to fail with. */
	private final AtomicReference<Object> next = new AtomicReference<>();

	private Server analytics;

	private GrpcAnalyticsSummaries summaries;

	@BeforeEach
	void start() throws IOException {
		this.analytics = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
			.addService(new AnalyticsServiceGrpc.AnalyticsServiceImplBase() {
				@Override
				public void getSummary(GetSummaryRequest request, StreamObserver<Summary> response) {
					Object answer = GrpcAnalyticsSummariesTest.this.next.get();
					if (answer instanceof Status status) {
						response.onError(status.asRuntimeException());
						return;
					}
					response.onNext((Summary) answer);
					response.onCompleted();
				}
			})
			.build()
			.start();
		int port = this.analytics.getPort();
		GrpcChannelFactory channels = StandIns.channelsTo(port);
		Edges edges = StandIns.edgesCallingOnce("analytics");
		this.summaries = new GrpcAnalyticsSummaries(channels, edges);
	}

	@AfterEach
	void stop() {
		this.analytics.shutdownNow();
	}

	@Test
	void theSummaryIsTheMapTheRestRouteRelays() {
		this.next.set(Summary.newBuilder()
			.setOrdersCreated(3)
			.setOrdersCompleted(2)
			.setOrdersCancelled(1)
			.setRevenueCents(12345)
			.build());

		assertThat(this.summaries.summary()).containsExactly(Map.entry("ordersCreated", 3L),
				Map.entry("ordersCompleted", 2L), Map.entry("ordersCancelled", 1L), Map.entry("revenue", 123.45));
		this.next.set(Summary.newBuilder().setRevenueCents(10000).build());
		assertThat(this.summaries.summary()).containsEntry("revenue", 100.0);
	}

	@Test
	void anUnavailableAnalyticsIsA503AndAFailingOneA502() {
		this.next.set(Status.UNAVAILABLE.withDescription("restarting"));
		assertThatThrownBy(this.summaries::summary).isInstanceOfSatisfying(UpstreamException.class,
				(ex) -> assertThat(ex.status().value()).isEqualTo(503));
		this.next.set(Status.INTERNAL.withDescription("bug"));
		assertThatThrownBy(this.summaries::summary).isInstanceOfSatisfying(UpstreamException.class,
				(ex) -> assertThat(ex.status().value()).isEqualTo(502));
	}

}
