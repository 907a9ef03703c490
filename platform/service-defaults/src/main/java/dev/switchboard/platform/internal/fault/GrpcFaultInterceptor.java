package dev.switchboard.platform.internal.fault;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import dev.switchboard.platform.internal.resilience.Refusals;

/**
 * Injects the current fault into gRPC calls (matched against the full method name, e.g.
 * {@code switchboard.inventory.v1.InventoryService/CheckAndReserve}). Runs on the call's
 * virtual thread, so a delay holds the call, not a transport thread.
 */
final class GrpcFaultInterceptor implements ServerInterceptor {

	private final FaultInjector faults;

	GrpcFaultInterceptor(FaultInjector faults) {
		this.faults = faults;
	}

	@Override
	public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
			ServerCallHandler<Q, R> next) {
		if (this.faults.applyTo(call.getMethodDescriptor().getFullMethodName())) {
			return Refusals.refuse(call, Status.UNAVAILABLE.withDescription("injected fault"), new Metadata());
		}
		return next.startCall(call, headers);
	}

}
