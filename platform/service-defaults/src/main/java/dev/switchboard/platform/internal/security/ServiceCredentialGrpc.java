package dev.switchboard.platform.internal.security;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import dev.switchboard.platform.security.ServiceCredential;

/**
 * The service credential on gRPC: callers attach it to every call, a server that listens
 * beyond this machine refuses a call without it ({@code UNAUTHENTICATED}); the standard
 * health service stays open.
 */
final class ServiceCredentialGrpc {

	static final Metadata.Key<String> KEY = Metadata.Key.of(ServiceCredential.HEADER, Metadata.ASCII_STRING_MARSHALLER);

	private ServiceCredentialGrpc() {
	}

	static ServerInterceptor server(ServiceCredential credential) {
		return new ServerInterceptor() {
			@Override
			public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
					ServerCallHandler<Q, A> next) {
				if (call.getMethodDescriptor().getServiceName() != null
						&& call.getMethodDescriptor().getServiceName().startsWith("grpc.health.")
						|| credential.matches(headers.get(KEY))) {
					return next.startCall(call, headers);
				}
				call.close(Status.UNAUTHENTICATED
					.withDescription("calls to this service carry the platform's service credential"), new Metadata());
				return new ServerCall.Listener<>() {
				};
			}
		};
	}

	static ClientInterceptor client(ServiceCredential credential) {
		return new ClientInterceptor() {
			@Override
			public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options,
					Channel next) {
				return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
					@Override
					public void start(Listener<A> listener, Metadata headers) {
						headers.put(KEY, credential.value());
						super.start(listener, headers);
					}
				};
			}
		};
	}

}
