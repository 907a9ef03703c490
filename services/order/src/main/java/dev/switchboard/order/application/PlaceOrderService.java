package dev.switchboard.order.application;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.order.application.port.in.PlaceOrderUseCase;
import dev.switchboard.order.application.port.out.InventoryPort;
import dev.switchboard.order.domain.InventoryUnavailableException;
import dev.switchboard.order.application.port.out.OrderRepository;
import dev.switchboard.order.application.port.out.OrderRepository.KeyedOrder;
import dev.switchboard.order.domain.IdempotencyKeyReusedException;
import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.OrderIds;
import dev.switchboard.order.domain.OrderLine;
import dev.switchboard.order.domain.PlaceOrderCommand;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Places an order, if {@link AdmissionControl} lets a new one in (a replay of a keyed
 * request always gets its answer), in two steps: reserve stock at inventory (a remote
 * call, outside any database transaction, the saga's first step), then store the order,
 * its saga, its {@code OrderCreated} event, the saga's first command and the idempotency
 * key in one local transaction. If that transaction fails, the reservation is released
 * again.
 *
 * <p>
 * Idempotency keys are the customer's own ({@link PlaceOrderCommand#scopedKey()}). With a
 * key the order id is derived from the key, so concurrent retries reserve the same stock
 * once and race only on the order's primary key; the loser answers with the winner's
 * stored response. Keys are remembered for {@code switchboard.retention.idempotency-keys}
 * (24 h); a key used again after that is refused like a key used with another request.
 */
@Service
class PlaceOrderService implements PlaceOrderUseCase {

	private static final Logger log = LoggerFactory.getLogger(PlaceOrderService.class);

	private final InventoryPort inventory;

	private final OrderRepository orders;

	private final SagaService sagas;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final AdmissionControl admission;

	/** Read from the database at the first keyed order. */
	private volatile OrderIds ids;

	PlaceOrderService(InventoryPort inventory, OrderRepository orders, SagaService sagas,
			TransactionTemplate transactions, Clock clock, AdmissionControl admission) {
		this.inventory = inventory;
		this.orders = orders;
		this.sagas = sagas;
		this.transactions = transactions;
		this.clock = clock;
		this.admission = admission;
	}

	@Override
	public PlacedOrder place(PlaceOrderCommand command, Caller caller) {
		String fingerprint = command.fingerprint();
		Optional<PlacedOrder> replay = command.idempotencyKey().isPresent() ? replay(command, fingerprint)
				: Optional.empty();
		if (replay.isPresent()) {
			return replay.get();
		}
		this.admission.admit();
		String orderId = command.scopedKey().map((key) -> ids().forKey(key)).orElseGet(OrderIds::random);
		if (command.idempotencyKey().isPresent() && this.orders.find(orderId).isPresent()) {
			String key = command.idempotencyKey().get();
			// A concurrent request with the key stored the order since the look above:
			// its answer is this one's. Otherwise the key made the order longer ago than
			// keys are remembered: its answer is gone, and reserving again under its
			// order id would touch that order's stock.
			return replay(command, fingerprint)
				.orElseThrow(() -> new IdempotencyKeyReusedException("Idempotency-Key '" + key + "' made order "
						+ orderId + " longer ago than keys are kept; use a new key for a new order"));
		}
		String attemptId = UUID.randomUUID().toString();
		Instant reservedAt = this.clock.instant();
		List<OrderLine> lines;
		try {
			lines = this.inventory.reserve(orderId, attemptId, command.items());
		}
		catch (InventoryPort.ReservationConflictException ex) {
			// Only a key can repeat an order id, so the key came with another request.
			throw keyReused(command.idempotencyKey().orElseThrow());
		}
		catch (InventoryUnavailableException ex) {
			// Inventory may have reserved just before the call failed (a timeout says
			// nothing about the other side). Without a key no one can come back for this
			// order id, so undo it now; with one, the client's retry reuses the
			// reservation.
			if (command.idempotencyKey().isEmpty()) {
				releaseQuietly(orderId, attemptId, ex);
			}
			throw ex;
		}
		if (caller.hasGivenUp()) {
			CallerGoneException gone = new CallerGoneException(
					"the caller stopped waiting while stock was reserved; the order was not stored");
			releaseQuietly(orderId, attemptId, gone);
			throw gone;
		}
		// Kept to the microsecond, as PostgreSQL keeps it, so the answer now and every
		// later read of the order (a keyed replay included) agree.
		Order order = Order.placed(orderId, command.customerId(), lines, command.shippingAddress(),
				this.clock.instant().truncatedTo(ChronoUnit.MICROS));
		try {
			this.transactions.executeWithoutResult((status) -> {
				this.orders.insert(order);
				command.scopedKey().ifPresent((key) -> this.orders.rememberKey(key, fingerprint, orderId));
				this.sagas.begin(order, command.paymentToken(), reservedAt);
				// Looked at again just before the commit: a caller that gave up while the
				// order was written has been told it failed, so it must not exist. What
				// is left (a deadline passing during the commit itself) the gateway
				// answers with 504, outcome unknown, and a keyed retry learns the
				// outcome.
				if (caller.hasGivenUp()) {
					throw new CallerGoneException(
							"the caller stopped waiting while the order was stored; it was not stored");
				}
			});
			return new PlacedOrder(order, false);
		}
		catch (DuplicateKeyException ex) {
			// A concurrent request with the same key won; it owns the (shared)
			// reservation.
			command.idempotencyKey().orElseThrow(() -> ex);
			return replay(command, fingerprint).orElseThrow(() -> ex);
		}
		catch (RuntimeException ex) {
			releaseQuietly(orderId, attemptId, ex);
			throw ex;
		}
	}

	private OrderIds ids() {
		OrderIds known = this.ids;
		if (known == null) {
			known = new OrderIds(this.orders.orderIdSecret());
			this.ids = known;
		}
		return known;
	}

	private Optional<PlacedOrder> replay(PlaceOrderCommand command, String fingerprint) {
		Optional<KeyedOrder> earlier = this.orders.findKey(command.scopedKey().orElseThrow());
		earlier.filter((r) -> !r.fingerprint().equals(fingerprint)).ifPresent((r) -> {
			throw keyReused(command.idempotencyKey().orElseThrow());
		});
		return earlier.map((r) -> new PlacedOrder(this.orders.find(r.orderId()).orElseThrow().asPlaced(), true));
	}

	private static IdempotencyKeyReusedException keyReused(String key) {
		return new IdempotencyKeyReusedException(
				"Idempotency-Key '" + key + "' was already used with a different request");
	}

	private void releaseQuietly(String orderId, String attemptId, RuntimeException cause) {
		try {
			this.inventory.release(orderId, attemptId);
		}
		catch (RuntimeException ex) {
			cause.addSuppressed(ex);
			log.error("Order {} failed after its stock was reserved and the release failed too; "
					+ "the reservation stays until released by an operator", orderId, ex);
		}
	}

}
