package dev.switchboard.gateway.orders;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.contracts.order.v1.OrderServiceGrpc;
import dev.switchboard.contracts.order.v1.OrderUpdate;
import dev.switchboard.contracts.order.v1.StreamOrderUpdatesRequest;
import dev.switchboard.gateway.web.UpstreamException;

import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * Order status changes over WebSocket at {@code /ws/orders}, fed by the order service's
 * {@code StreamOrderUpdates}. The handshake is authenticated like any request (a bearer
 * token in the {@code Authorization} header, or, as browsers cannot set it there, in the
 * {@code access_token} query parameter of this path alone; scope {@code orders:read}).
 * The client sends {@code {"subscribe": "<order id>", "after": <seq>}} ({@code "*"} for
 * all its orders; {@code after} optional) and receives each change as
 * {@code {"seq","orderId","status","reason","at"}}, then {@code {"completed": "<order
 * id>"}} after an order's final status; a refusal is {@code {"error", "subscription"}}.
 * Sends to a slow client are buffered up to {@value #BUFFER_LIMIT} bytes or
 * {@link #SEND_TIME_LIMIT}; past either the connection is closed (1008), never buffered
 * without bound; the client reconnects and resumes with {@code after}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class OrderUpdatesSocket extends TextWebSocketHandler implements WebSocketConfigurer {

	static final String PATH = "/ws/orders";

	private static final Logger log = LoggerFactory.getLogger(OrderUpdatesSocket.class);

	private static final int BUFFER_LIMIT = 256 * 1024;

	private static final Duration SEND_TIME_LIMIT = Duration.ofSeconds(10);

	private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
			Metadata.ASCII_STRING_MARSHALLER);

	private final OrderServiceGrpc.OrderServiceStub orders;

	private final JsonMapper json = JsonMapper.builder().build();

	/** Each connection's open subscriptions, to cancel when it closes. */
	private final Map<String, Map<String, ClientCallStreamObserver<StreamOrderUpdatesRequest>>> calls = new ConcurrentHashMap<>();

	private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();

	private final LiveStreams streams;

	OrderUpdatesSocket(OrderServiceGrpc.OrderServiceBlockingStub orders, LiveStreams streams) {
		this.orders = OrderServiceGrpc.newStub(orders.getChannel());
		this.streams = streams;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(this, PATH);
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		this.sessions.put(session.getId(),
				new ConcurrentWebSocketSessionDecorator(session, (int) SEND_TIME_LIMIT.toMillis(), BUFFER_LIMIT));
		this.calls.put(session.getId(), new ConcurrentHashMap<>());
	}

	@Override
	protected void handleTextMessage(WebSocketSession raw, TextMessage message) {
		WebSocketSession session = this.sessions.get(raw.getId());
		String subscription = "";
		long after;
		try {
			JsonNode request = this.json.readTree(message.getPayload());
			subscription = request.path("subscribe").asString("");
			after = request.path("after").asLong(0);
		}
		catch (RuntimeException ex) {
			send(session,
					Map.of("error",
							"not a subscription: send {\"subscribe\": \"<order id>\" or \"*\", " + "\"after\": <seq>}",
							"subscription", ""));
			return;
		}
		if (subscription.isBlank() || after < 0) {
			send(session, Map.of("error", "subscribe needs an order id or \"*\", and after a seq (0 or more)",
					"subscription", subscription));
			return;
		}
		if (!(raw.getPrincipal() instanceof JwtAuthenticationToken caller)) {
			close(session, CloseStatus.POLICY_VIOLATION);
			return;
		}
		subscribe(session, caller, subscription, after);
	}

	private void subscribe(WebSocketSession session, JwtAuthenticationToken caller, String subscription, long after) {
		Map<String, ClientCallStreamObserver<StreamOrderUpdatesRequest>> open = this.calls.get(session.getId());
		if (open == null || open.containsKey(subscription)) {
			return;
		}
		LiveStreams.Slot slot;
		try {
			slot = this.streams.open(caller.getName());
		}
		catch (UpstreamException ex) {
			send(session, Map.of("error", ex.getMessage(), "subscription", subscription));
			return;
		}
		Metadata headers = new Metadata();
		headers.put(AUTHORIZATION, "Bearer " + caller.getToken().getTokenValue());
		StreamOrderUpdatesRequest request = StreamOrderUpdatesRequest.newBuilder()
			.setOrderId(subscription.equals("*") ? "" : subscription)
			.setAfterSeq(after)
			.build();
		this.orders.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
			.streamOrderUpdates(request, new ClientResponseObserver<StreamOrderUpdatesRequest, OrderUpdate>() {

				@Override
				public void beforeStart(ClientCallStreamObserver<StreamOrderUpdatesRequest> call) {
					open.put(subscription, call);
				}

				@Override
				public void onNext(OrderUpdate update) {
					Map<String, Object> change = new LinkedHashMap<>();
					change.put("seq", update.getSeq());
					change.put("orderId", update.getOrderId());
					change.put("status", update.getStatus().name());
					if (!update.getReason().isEmpty()) {
						change.put("reason", update.getReason());
					}
					change.put("at", update.getAt());
					send(session, change);
				}

				@Override
				public void onError(Throwable error) {
					open.remove(subscription);
					slot.close();
					Status status = Status.fromThrowable(error);
					if (status.getCode() != Status.Code.CANCELLED) {
						send(session,
								Map.of("error",
										(status.getCode() == Status.Code.NOT_FOUND) ? "no order " + subscription
												: "the updates stopped (" + status.getCode()
														+ "); subscribe again with after = the last seq received",
										"subscription", subscription));
					}
				}

				@Override
				public void onCompleted() {
					open.remove(subscription);
					slot.close();
					send(session, Map.of("completed", subscription));
				}

			});
	}

	private void send(WebSocketSession session, Map<String, ?> message) {
		if (session == null || !session.isOpen()) {
			return;
		}
		try {
			session.sendMessage(new TextMessage(this.json.writeValueAsString(message)));
		}
		catch (IOException | RuntimeException ex) {
			// Over the buffer or time limit (the decorator closes it), or gone.
			log.debug("Closing a WebSocket that could not take its order updates", ex);
			close(session, CloseStatus.POLICY_VIOLATION.withReason("too slow to take the updates"));
		}
	}

	private static void close(WebSocketSession session, CloseStatus status) {
		try {
			session.close(status);
		}
		catch (IOException ex) {
			// Gone already.
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.sessions.remove(session.getId());
		Map<String, ClientCallStreamObserver<StreamOrderUpdatesRequest>> open = this.calls.remove(session.getId());
		if (open != null) {
			open.values().forEach((call) -> call.cancel("the WebSocket closed", null));
		}
	}

}
