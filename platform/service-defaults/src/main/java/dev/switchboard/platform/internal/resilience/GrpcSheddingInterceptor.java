package dev.switchboard.platform.internal.resilience;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import dev.switchboard.platform.resilience.RetryAfter;

/**
 * Refuses a gRPC call with RESOURCE_EXHAUSTED and a {@code retry-after} trailer while the
 * service already has its limit of calls in progress; the place is given back when the
 * call closes or is cancelled.
 */
final class GrpcSheddingInterceptor implements ServerInterceptor {

	private final Shedding shedding;

	GrpcSheddingInterceptor(Shedding shedding) {
		this.shedding = shedding;
	}

	@Override
	public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
			ServerCallHandler<Q, R> next) {
		Bulkhead limit = this.shedding.grpc();
		if (!limit.tryAcquirePermission()) {
			this.shedding.refusedGrpc();
			return Refusals.refuse(call,
					Status.RESOURCE_EXHAUSTED.withDescription("overloaded: "
							+ limit.getMetrics().getMaxAllowedConcurrentCalls() + " calls already in progress"),
					RetryAfter.trailers(this.shedding.retryAfter()));
		}
		AtomicBoolean released = new AtomicBoolean();
		Runnable release = () -> {
			if (released.compareAndSet(false, true)) {
				limit.onComplete();
			}
		};
		ServerCall<Q, R> releasing = new SimpleForwardingServerCall<>(call) {
			@Override
			public void close(Status status, Metadata trailers) {
				release.run();
				super.close(status, trailers);
			}
		};
		ServerCall.Listener<Q> listener;
		try {
			listener = next.startCall(releasing, headers);
		}
		catch (RuntimeException ex) {
			release.run();
			throw ex;
		}
		// However the call ends: closed through this interceptor, cancelled, or completed
		// after a close that did not pass here.
		return new SimpleForwardingServerCallListener<>(listener) {
			@Override
			public void onCancel() {
				release.run();
				super.onCancel();
			}

			@Override
			public void onComplete() {
				release.run();
				super.onComplete();
			}
		};
	}

}
