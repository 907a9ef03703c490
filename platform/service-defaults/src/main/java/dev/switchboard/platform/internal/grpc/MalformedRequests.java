package dev.switchboard.platform.internal.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;

/**
 * A request that does not parse as its method's message is the caller's mistake:
 * {@code INVALID_ARGUMENT}, saying so. grpc-java parses the request before any
 * interceptor or handler sees it, and a failure there escapes as "Application error
 * processing RPC" ({@code UNKNOWN}, which callers' breakers count as the service failing)
 * with an ERROR and a stack trace in the log for every such call. So each method of a
 * service is rebuilt to take its request as raw bytes and parse it here, where a failure
 * can be answered; no library does this for a plain grpc-java server.
 */
final class MalformedRequests {

	private static final MethodDescriptor.Marshaller<InputStream> RAW = new MethodDescriptor.Marshaller<>() {

		@Override
		public InputStream stream(InputStream value) {
			return value;
		}

		@Override
		public InputStream parse(InputStream stream) {
			// Copied: the transport may reuse its buffer once parse returns.
			try {
				return new ByteArrayInputStream(stream.readAllBytes());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	};

	private MalformedRequests() {
	}

	static ServerServiceDefinition refused(ServerServiceDefinition service) {
		List<ServerMethodDefinition<InputStream, ?>> methods = new ArrayList<>();
		service.getMethods().forEach((method) -> methods.add(parsedHere(method)));
		// The same service, schema and all: gRPC reflection finds a service's protos
		// through
		// its schema descriptor, and lists nothing without one.
		ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(service.getServiceDescriptor().getName())
			.setSchemaDescriptor(service.getServiceDescriptor().getSchemaDescriptor());
		methods.forEach((method) -> descriptor.addMethod(method.getMethodDescriptor()));
		ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
		methods.forEach(builder::addMethod);
		return builder.build();
	}

	private static <Q, A> ServerMethodDefinition<InputStream, A> parsedHere(ServerMethodDefinition<Q, A> definition) {
		MethodDescriptor<Q, A> method = definition.getMethodDescriptor();
		MethodDescriptor<InputStream, A> raw = method.toBuilder(RAW, method.getResponseMarshaller()).build();
		ServerCallHandler<Q, A> handler = definition.getServerCallHandler();
		return ServerMethodDefinition.create(raw, (call, headers) -> {
			TypedCall<Q, A> typed = new TypedCall<>(call, method);
			ServerCall.Listener<Q> listener = handler.startCall(typed, headers);
			return new ServerCall.Listener<>() {

				@Override
				public void onMessage(InputStream message) {
					Q request;
					try {
						request = method.parseRequest(message);
					}
					catch (RuntimeException ex) {
						typed.refuse(Status.INVALID_ARGUMENT.withDescription("the request is not a valid "
								+ method.getFullMethodName() + " message: " + rootMessage(ex)));
						return;
					}
					if (!typed.closed) {
						listener.onMessage(request);
					}
				}

				@Override
				public void onHalfClose() {
					// A refused call has no request for its handler to answer.
					if (!typed.closed) {
						listener.onHalfClose();
					}
				}

				@Override
				public void onCancel() {
					listener.onCancel();
				}

				@Override
				public void onComplete() {
					listener.onComplete();
				}

				@Override
				public void onReady() {
					listener.onReady();
				}

			};
		});
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return String.valueOf(root.getMessage());
	}

	/** The call as its handler expects it: typed requests, its own method. */
	private static final class TypedCall<Q, A> extends ServerCall<Q, A> {

		private final ServerCall<InputStream, A> call;

		private final MethodDescriptor<Q, A> method;

		private volatile boolean closed;

		TypedCall(ServerCall<InputStream, A> call, MethodDescriptor<Q, A> method) {
			this.call = call;
			this.method = method;
		}

		synchronized void refuse(Status status) {
			if (!this.closed) {
				close(status, new Metadata());
			}
		}

		@Override
		public void request(int count) {
			this.call.request(count);
		}

		@Override
		public void sendHeaders(Metadata headers) {
			this.call.sendHeaders(headers);
		}

		@Override
		public void sendMessage(A message) {
			this.call.sendMessage(message);
		}

		@Override
		public synchronized void close(Status status, Metadata trailers) {
			this.closed = true;
			this.call.close(status, trailers);
		}

		@Override
		public boolean isReady() {
			return this.call.isReady();
		}

		@Override
		public boolean isCancelled() {
			return this.call.isCancelled();
		}

		@Override
		public void setMessageCompression(boolean enabled) {
			this.call.setMessageCompression(enabled);
		}

		@Override
		public void setCompression(String compressor) {
			this.call.setCompression(compressor);
		}

		@Override
		public SecurityLevel getSecurityLevel() {
			return this.call.getSecurityLevel();
		}

		@Override
		public Attributes getAttributes() {
			return this.call.getAttributes();
		}

		@Override
		public String getAuthority() {
			return this.call.getAuthority();
		}

		@Override
		public MethodDescriptor<Q, A> getMethodDescriptor() {
			return this.method;
		}

	}

}
