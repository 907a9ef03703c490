package dev.switchboard.gateway.orders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.order.v1.Order;
import dev.switchboard.contracts.order.v1.Saga;
import dev.switchboard.gateway.web.Amount;
import dev.switchboard.gateway.web.UpstreamException;
import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.Edges;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * Backends for frontends: an order page in one call, composed for its screen. The web
 * page gets everything (the order with named lines and amounts, its saga, its shipment,
 * its notifications); the mobile page a compact summary of the same. The sources are
 * asked at once, each through its edge (with its deadline) and the page within
 * {@code switchboard.gateway.bff.deadline}; a source that fails or is late is named in
 * {@code partial} and its part left out, never a 5xx for the page. Only the order itself
 * is required: without it (not the caller's, or the order service away) the page is the
 * order's own answer (404, 503).
 */
@RestController
class OrderPagesController {

	private static final Logger log = LoggerFactory.getLogger(OrderPagesController.class);

	private final OrderReads reads;

	private final RestClient shipping;

	private final Edge shipments;

	private final AsyncTaskExecutor executor;

	private final Duration deadline;

	OrderPagesController(OrderReads reads, @Qualifier("shippingClient") RestClient shipping, Edges edges,
			@Qualifier("applicationTaskExecutor") AsyncTaskExecutor executor,
			@Value("${switchboard.gateway.bff.deadline:3s}") Duration deadline) {
		this.reads = reads;
		this.shipping = shipping;
		this.shipments = edges.edge("shipping");
		this.executor = executor;
		this.deadline = deadline;
	}

	@GetMapping("/bff/web/orders/{orderId}")
	WebPage web(@AuthenticationPrincipal Jwt caller, @PathVariable String orderId) {
		Composed page = compose(caller, orderId);
		Map<String, String> names = this.reads.productNames(page.order());
		if (!names.keySet().containsAll(page.order().getLinesList().stream().map((line) -> line.getSku()).toList())) {
			page.partial().add("products");
		}
		return new WebPage(OrderViewV2.of(page.order(), names), (page.saga() != null) ? SagaView.of(page.saga()) : null,
				page.shipment(), page.notifications(), page.partial());
	}

	@GetMapping("/bff/mobile/orders/{orderId}")
	MobilePage mobile(@AuthenticationPrincipal Jwt caller, @PathVariable String orderId) {
		Composed page = compose(caller, orderId);
		Order order = page.order();
		String progress = null;
		if (page.saga() != null) {
			long done = page.saga()
				.getStepsList()
				.stream()
				.filter((step) -> step.getState().equals("succeeded"))
				.count();
			progress = done + "/" + page.saga().getStepsCount();
		}
		return new MobilePage(order.getOrderId(), order.getStatus().name(),
				Amount.ofCents(order.getTotalCents()).amount() + " " + Amount.CURRENCY,
				order.getLinesList().stream().mapToInt((line) -> line.getQuantity()).sum(), progress,
				(page.shipment() != null) ? (String) page.shipment().get("status") : null,
				(page.notifications() != null) ? page.notifications().size() : null, page.partial());
	}

	/**
	 * Every source's answer, asked at once; those missing are null and named in partial.
	 */
	private Composed compose(Jwt caller, String orderId) {
		Sources sources = new Sources(caller, orderId);
		Order order = sources.order();
		List<String> partial = new ArrayList<>();
		return new Composed(order, sources.saga.get(partial), sources.shipment.get(partial),
				sources.notifications.get(partial), partial);
	}

	private record Composed(Order order, Saga saga, Map<String, Object> shipment,
			List<Map<String, Object>> notifications, List<String> partial) {
	}

	/** Every source of a page, asked at once; the order first among equals. */
	private final class Sources {

		private final long until = System.nanoTime() + OrderPagesController.this.deadline.toNanos();

		private final CompletableFuture<Order> order;

		private final Part<Saga> saga;

		private final Part<Map<String, Object>> shipment;

		private final Part<List<Map<String, Object>>> notifications;

		Sources(Jwt caller, String orderId) {
			this.order = ask(() -> OrderPagesController.this.reads.order(caller, orderId));
			this.saga = new Part<>("saga", ask(() -> OrderPagesController.this.reads.saga(caller, orderId)));
			// Asked before the order is known to be the caller's; read only once it is.
			this.shipment = new Part<>("shipment", ask(() -> shipment(orderId)));
			this.notifications = new Part<>("notifications",
					ask(() -> OrderPagesController.this.reads.notifications(orderId)));
		}

		/** The order, or the answer the page gets without it. */
		Order order() {
			try {
				return this.order.get(remaining(), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof RuntimeException failure) {
					throw failure;
				}
				throw new IllegalStateException(ex.getCause());
			}
			catch (TimeoutException ex) {
				throw new UpstreamException(HttpStatus.GATEWAY_TIMEOUT, "Gateway Timeout",
						"the order did not arrive within " + OrderPagesController.this.deadline, Duration.ofSeconds(1));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		private long remaining() {
			return Math.max(0, this.until - System.nanoTime());
		}

		private <T> CompletableFuture<T> ask(Supplier<T> source) {
			return CompletableFuture.supplyAsync(source, OrderPagesController.this.executor);
		}

		/** One optional source of the page. */
		private final class Part<T> {

			private final String name;

			private final CompletableFuture<T> answer;

			Part(String name, CompletableFuture<T> answer) {
				this.name = name;
				this.answer = answer;
			}

			/** Its answer, or null with its name added to {@code partial}. */
			T get(List<String> partial) {
				try {
					return this.answer.get(remaining(), TimeUnit.NANOSECONDS);
				}
				catch (ExecutionException | TimeoutException ex) {
					this.answer.cancel(true);
					log.debug("An order page goes without its {}", this.name, ex);
					partial.add(this.name);
					return null;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}

		}

	}

	/** The order's shipment decision; {@code null} while it has none (not a failure). */
	private Map<String, Object> shipment(String orderId) {
		try {
			return this.shipments.call(true,
					(deadline) -> this.shipping.get()
						.uri("/shipments/{orderId}", orderId)
						.retrieve()
						.body(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
						}));
		}
		catch (HttpClientErrorException.NotFound ex) {
			return null;
		}
	}

	/**
	 * The web page: the order (v2 form: amounts, named lines), its saga, its shipment
	 * decision and its notifications.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record WebPage(OrderViewV2 order, SagaView saga, Map<String, Object> shipment,
			List<Map<String, Object>> notifications, List<String> partial) {
	}

	/**
	 * The mobile page: what a list row or a small screen shows. {@code progress}: saga
	 * steps done of all.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record MobilePage(String id, String status, String total, int units, String progress, String shipment,
			Integer notifications, List<String> partial) {
	}

}
