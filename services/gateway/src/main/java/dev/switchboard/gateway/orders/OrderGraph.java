package dev.switchboard.gateway.orders;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;

import jakarta.validation.Valid;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.switchboard.contracts.order.v1.CreateOrderResponse;
import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.OrderLine;
import dev.switchboard.contracts.order.v1.OrderUpdate;
import dev.switchboard.contracts.order.v1.StreamOrderUpdatesRequest;
import dev.switchboard.gateway.web.Amount;
import dev.switchboard.gateway.web.GrpcErrors;
import dev.switchboard.gateway.web.UpstreamException;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Controller;

/**
 * The caller's orders in GraphQL (schema: {@code graphql/schema.graphqls}), on the same
 * terms as REST: the token's subject is the customer, and the order service is asked on
 * its behalf. What a query asks about its orders (saga, payment, shipment, notifications)
 * is loaded in batches: one call to each service for all the orders at a level of the
 * query, never one per order.
 */
@Controller
class OrderGraph {

	/** Order ids one query may ask for (as the services take in one call). */
	static final int MAX_ORDERS = 100;

	/**
	 * Subscriptions read their gRPC stream with blocking calls, each on a virtual thread
	 * of its own: a platform-thread pool would cap how many clients may follow orders.
	 */
	private static final Scheduler STREAMS = Schedulers.fromExecutorService(
			Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("graphql-order-updates-", 0).factory()));

	private final OrderReads reads;

	private final OrderPlacing placing;

	private final LiveStreams streams;

	OrderGraph(OrderReads reads, OrderPlacing placing, LiveStreams streams) {
		this.reads = reads;
		this.placing = placing;
		this.streams = streams;
	}

	@QueryMapping
	OrderViewV2 order(@Argument String orderId, Principal principal) {
		List<OrderViewV2> found = views(this.reads.orders(caller(principal, "orders:read"), List.of(orderId)));
		return found.isEmpty() ? null : found.getFirst();
	}

	@QueryMapping
	List<OrderViewV2> orders(@Argument List<String> orderIds, Principal principal) {
		Jwt caller = caller(principal, "orders:read");
		if (orderIds.size() > MAX_ORDERS) {
			throw new UpstreamException(HttpStatus.BAD_REQUEST, "Bad Request",
					"at most " + MAX_ORDERS + " order ids at once, were " + orderIds.size());
		}
		return views(this.reads.orders(caller, orderIds));
	}

	@MutationMapping
	PlacedOrder placeOrder(@Argument("order") @Valid CreateOrderBody order, @Argument String idempotencyKey,
			Principal principal) {
		CreateOrderResponse placed = this.placing.place(caller(principal, "orders:write"), idempotencyKey, order);
		return new PlacedOrder(views(List.of(placed.getOrder())).getFirst(), placed.getReplayed());
	}

	record PlacedOrder(OrderViewV2 order, boolean replayed) {
	}

	@BatchMapping(typeName = "Order", field = "saga")
	Map<OrderViewV2, SagaView> saga(List<OrderViewV2> orders, Principal principal) {
		Map<String, SagaView> sagas = new HashMap<>();
		this.reads.sagas(caller(principal, "orders:read"), ids(orders))
			.forEach((saga) -> sagas.put(saga.getOrderId(), SagaView.of(saga)));
		return byOrder(orders, sagas);
	}

	@BatchMapping(typeName = "Order", field = "payment")
	Map<OrderViewV2, PaymentView> payment(List<OrderViewV2> orders, Principal principal) {
		caller(principal, "orders:read");
		return byOrder(orders, keyed(this.reads.payments(ids(orders)), PaymentView::of));
	}

	@BatchMapping(typeName = "Order", field = "shipment")
	Map<OrderViewV2, Map<String, Object>> shipment(List<OrderViewV2> orders, Principal principal) {
		caller(principal, "orders:read");
		return byOrder(orders, keyed(this.reads.shipments(ids(orders)), Function.identity()));
	}

	@BatchMapping(typeName = "Order", field = "notifications")
	Map<OrderViewV2, List<Map<String, Object>>> notifications(List<OrderViewV2> orders, Principal principal) {
		caller(principal, "orders:read");
		Map<String, List<Map<String, Object>>> sent = new HashMap<>();
		this.reads.notifications(ids(orders))
			.forEach((n) -> sent.computeIfAbsent((String) n.get("orderId"), (id) -> new ArrayList<>()).add(n));
		Map<OrderViewV2, List<Map<String, Object>>> answer = new HashMap<>();
		orders.forEach((order) -> answer.put(order, sent.getOrDefault(order.orderId(), List.of())));
		return answer;
	}

	/**
	 * The order service's stream of status changes, read as the subscriber asks for more
	 * (so gRPC's flow control reaches the order service), cancelled when the subscriber
	 * leaves.
	 */
	@SubscriptionMapping
	Flux<UpdateView> orderUpdates(@Argument String orderId, @Argument String after, Principal principal) {
		Jwt caller = caller(principal, "orders:read");
		StreamOrderUpdatesRequest.Builder request = StreamOrderUpdatesRequest.newBuilder().setAfterSeq(after(after));
		if (orderId != null) {
			request.setOrderId(orderId);
		}
		return Flux.defer(() -> {
			LiveStreams.Slot slot = this.streams.open(caller.getSubject());
			Context.CancellableContext call = Context.current().withCancellation();
			Iterator<OrderUpdate> updates;
			try {
				updates = call.call(() -> this.reads.as(caller).streamOrderUpdates(request.build()));
			}
			catch (Exception ex) {
				call.cancel(ex);
				slot.close();
				return Flux.error(ex);
			}
			// Freed before the end reaches the client, so that it may subscribe again at
			// once.
			Runnable end = () -> {
				call.cancel(null);
				slot.close();
			};
			return Flux.fromIterable(() -> updates).map(UpdateView::of).doOnTerminate(end).doOnCancel(end);
		})
			.onErrorMap(StatusRuntimeException.class,
					(ex) -> GrpcErrors.translate(ex, Map.of(Status.Code.NOT_FOUND, HttpStatus.NOT_FOUND)))
			.subscribeOn(STREAMS);
	}

	private static long after(String after) {
		if (after == null) {
			return 0;
		}
		try {
			long seq = Long.parseLong(after);
			if (seq >= 0) {
				return seq;
			}
		}
		catch (NumberFormatException ex) {
			// Answered below.
		}
		throw new UpstreamException(HttpStatus.BAD_REQUEST, "Bad Request",
				"after must be the seq of an update received earlier, was '" + after + "'");
	}

	/** The token of the caller, who must hold {@code scope}. */
	static Jwt caller(Principal principal, String scope) {
		if (!(principal instanceof JwtAuthenticationToken token)) {
			throw new UpstreamException(HttpStatus.UNAUTHORIZED, "Unauthorized",
					"orders need a bearer token with the scope " + scope);
		}
		if (token.getAuthorities().stream().noneMatch((a) -> a.getAuthority().equals("SCOPE_" + scope))) {
			throw new UpstreamException(HttpStatus.FORBIDDEN, "Forbidden",
					"the token does not grant the scope this needs: " + scope);
		}
		return token.getToken();
	}

	/** The orders in v2's form, their lines named with one look at the catalogue. */
	private List<OrderViewV2> views(Collection<Order> orders) {
		Map<String, String> names = this.reads.productNames(
				orders.stream().flatMap((o) -> o.getLinesList().stream()).map(OrderLine::getSku).distinct().toList());
		return orders.stream().map((order) -> OrderViewV2.of(order, names)).toList();
	}

	private static List<String> ids(List<OrderViewV2> orders) {
		return orders.stream().map(OrderViewV2::orderId).distinct().toList();
	}

	private static <T> Map<String, T> keyed(List<Map<String, Object>> answers, Function<Map<String, Object>, T> view) {
		Map<String, T> byOrder = new HashMap<>();
		answers.forEach((answer) -> byOrder.put((String) answer.get("orderId"), view.apply(answer)));
		return byOrder;
	}

	private static <T> Map<OrderViewV2, T> byOrder(List<OrderViewV2> orders, Map<String, T> byId) {
		Map<OrderViewV2, T> answer = new HashMap<>();
		orders.stream()
			.filter((order) -> byId.containsKey(order.orderId()))
			.forEach((order) -> answer.put(order, byId.get(order.orderId())));
		return answer;
	}

	/** A payment as GraphQL shows it: its amount with its currency. */
	record PaymentView(String paymentId, String status, Amount amount, String declineReason) {

		static PaymentView of(Map<String, Object> payment) {
			return new PaymentView((String) payment.get("paymentId"), (String) payment.get("status"),
					Amount.ofCents(((Number) payment.get("amountCents")).longValue()),
					(String) payment.get("declineReason"));
		}

	}

	/** A status change, its seq the position a client resumes from. */
	record UpdateView(String seq, String orderId, String status, String reason, String at) {

		static UpdateView of(OrderUpdate update) {
			return new UpdateView(Long.toString(update.getSeq()), update.getOrderId(), update.getStatus().name(),
					update.getReason().isEmpty() ? null : update.getReason(), update.getAt());
		}

	}

}
