package dev.switchboard.platform.internal.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.inventory.v1.GetProductRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.Product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bytes that are not the method's message, over a real socket: INVALID_ARGUMENT naming
 * the problem, where plain grpc-java answers UNKNOWN and logs an error; a valid request
 * and an interceptor's own refusal are untouched.
 */
class MalformedRequestsTest {

	private static final MethodDescriptor<byte[], byte[]> RAW_GET_PRODUCT = MethodDescriptor
		.<byte[], byte[]>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName(InventoryServiceGrpc.getGetProductMethod().getFullMethodName())
		.setRequestMarshaller(new Bytes())
		.setResponseMarshaller(new Bytes())
		.build();

	@Test
	void aRequestThatIsNotItsMessageIsInvalidArgument() throws IOException {
		Server server = start(ServerInterceptors.intercept(new StandIn(), passThrough()));
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
		try {
			assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, RAW_GET_PRODUCT, CallOptions.DEFAULT,
					new byte[] { 0x00, 0x01, 0x02 }))
				.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
					assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
					assertThat(ex.getStatus().getDescription())
						.contains("not a valid switchboard.inventory.v1.InventoryService/GetProduct message");
				});
			assertThat(InventoryServiceGrpc.newBlockingStub(channel)
				.getProduct(GetProductRequest.newBuilder().setSku("SKU-0001").build())
				.getSku()).isEqualTo("SKU-0001");
		}
		finally {
			channel.shutdownNow();
			server.shutdownNow();
		}
	}

	@Test
	void aCallAnInterceptorRefusedStaysRefused() throws IOException {
		ServerInterceptor refuseAll = new ServerInterceptor() {
			@Override
			public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
					io.grpc.ServerCallHandler<Q, A> next) {
				call.close(Status.UNAUTHENTICATED.withDescription("no token"), new Metadata());
				return new ServerCall.Listener<>() {
				};
			}
		};
		Server server = start(ServerInterceptors.intercept(new StandIn(), refuseAll));
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
		try {
			assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, RAW_GET_PRODUCT, CallOptions.DEFAULT,
					new byte[] { 0x00 }))
				.isInstanceOfSatisfying(StatusRuntimeException.class,
						(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
		}
		finally {
			channel.shutdownNow();
			server.shutdownNow();
		}
	}

	private static Server start(io.grpc.ServerServiceDefinition service) throws IOException {
		return ServerBuilder.forPort(0).addService(MalformedRequests.refused(service)).build().start();
	}

	private static ServerInterceptor passThrough() {
		return new ServerInterceptor() {
			@Override
			public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
					io.grpc.ServerCallHandler<Q, A> next) {
				return next.startCall(call, headers);
			}
		};
	}

	static final class StandIn extends InventoryServiceGrpc.InventoryServiceImplBase {

		@Override
		public void getProduct(GetProductRequest request, StreamObserver<Product> response) {
			response.onNext(Product.newBuilder().setSku(request.getSku()).build());
			response.onCompleted();
		}

	}

	static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {

		@Override
		public InputStream stream(byte[] value) {
			return new ByteArrayInputStream(value);
		}

		@Override
		public byte[] parse(InputStream stream) {
			try {
				return stream.readAllBytes();
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}

	}

}
