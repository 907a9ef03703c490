package dev.switchboard.order.application;

import java.util.Objects;
import java.util.Collection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.switchboard.order.application.port.in.OverloadedException;
import dev.switchboard.order.application.port.in.PlaceOrderUseCase.Caller;
import dev.switchboard.order.application.port.in.PlaceOrderUseCase.CallerGoneException;
import dev.switchboard.order.application.port.in.PlaceOrderUseCase.PlacedOrder;
import dev.switchboard.order.application.port.out.InventoryPort;
import dev.switchboard.order.application.port.out.InventoryPort.HeldReservation;
import dev.switchboard.order.domain.InventoryUnavailableException;
import dev.switchboard.order.application.port.out.OrderEventPublisher;
import dev.switchboard.order.application.port.out.OrderRepository;
import dev.switchboard.order.application.port.out.OrderRepository.KeyedOrder;
import dev.switchboard.order.application.port.out.PaymentCommands;
import dev.switchboard.order.application.port.out.SagaCommands;
import dev.switchboard.order.application.port.out.SagaRepository;
import dev.switchboard.order.domain.IdempotencyKeyReusedException;
import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.OrderIds;
import dev.switchboard.order.domain.OrderLine;
import dev.switchboard.order.domain.OrderStatus;
import dev.switchboard.order.domain.PlaceOrderCommand;
import dev.switchboard.order.domain.PlaceOrderCommand.Item;
import dev.switchboard.order.domain.ShippingAddress;
import dev.switchboard.order.domain.saga.Saga;
import dev.switchboard.order.domain.saga.SagaMode;
import dev.switchboard.order.domain.saga.SagaRecord;
import dev.switchboard.order.domain.saga.SagaTimeouts;
import dev.switchboard.order.domain.saga.StepName;

import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaceOrderServiceTest {

	static final ShippingAddress AUSTIN = new ShippingAddress("US", "Austin", "1 Main St", "78701");

	final FakeInventory inventory = new FakeInventory();

	final FakeOrders orders = new FakeOrders();

	final List<String> events = new ArrayList<>();

	final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

	int rollbacks;

	final TransactionTemplate transactions = new TransactionTemplate(new NoTransactions());

	final FakeSagas storedSagas = new FakeSagas();

	/** The saga steps recorded as spans, as they ended. */
	final List<String> spans = new ArrayList<>();

	final AdmissionControl admission = new AdmissionControl(this.storedSagas, 3, Duration.ofSeconds(2));

	final SagaService sagas = new SagaService(this.storedSagas, this.orders, new OrderEventPublisher() {
		@Override
		public String created(Order order, String paymentToken, SagaMode mode) {
			PlaceOrderServiceTest.this.events.add("created " + order.id() + " " + mode);
			return null;
		}

		@Override
		public void completed(Order order, String shipmentId) {
		}

		@Override
		public void cancelled(Order order, SagaMode mode) {
		}

		@Override
		public void cancellationRepeated(Order order) {
		}
	}, new RecordingCommands(this.events), new RecordingPayments(this.events), (step, ids) -> Map.of(),
			new SagaSettings(SagaMode.ORCHESTRATION, SagaTimeouts.DEFAULTS), this.transactions, this.clock,
			(mode, outcome, took) -> this.events.add("ended " + outcome + " " + mode + " after " + took),
			(orderId, mode, step) -> this.spans.add(orderId + " " + step.name() + " " + step.state()));

	final PlaceOrderService service = new PlaceOrderService(this.inventory, this.orders, this.sagas, this.transactions,
			this.clock, this.admission);

	static PlaceOrderCommand command(String key, int quantity) {
		return new PlaceOrderCommand(Optional.ofNullable(key), "c-1", List.of(new Item("SKU-0001", quantity)),
				"tok_visa", AUSTIN);
	}

	@Test
	void placesAPendingOrderPricedByInventoryAnnouncesItAndStartsItsSaga() {
		PlacedOrder placed = this.service.place(command(null, 2), Caller.WAITING);

		assertThat(placed.replayed()).isFalse();
		assertThat(placed.order().status()).isEqualTo(OrderStatus.PENDING);
		assertThat(placed.order().totalCents()).isEqualTo(2 * 150);
		assertThat(this.events).containsExactly("created " + placed.order().id() + " ORCHESTRATION",
				"charge " + placed.order().id() + " tok_visa");
		assertThat(this.spans).containsExactly(placed.order().id() + " RESERVE SUCCEEDED");
	}

	@Test
	void aKeyedOrdersIdComesFromTheKeyAndTheSecretNotTheKeyAlone() {
		PlacedOrder placed = this.service.place(command("order-1", 1), Caller.WAITING);

		assertThat(placed.order().id()).isEqualTo(new OrderIds(this.orders.orderIdSecret()).forKey("order-1 c-1"))
			.isNotEqualTo(
					java.util.UUID.nameUUIDFromBytes("order:order-1".getBytes(java.nio.charset.StandardCharsets.UTF_8))
						.toString());
	}

	@Test
	void aKeyIsTheCustomersOwn() {
		PlacedOrder mine = this.service.place(command("k", 1), Caller.WAITING);
		PlacedOrder theirs = this.service.place(new PlaceOrderCommand(Optional.of("k"), "c-2",
				List.of(new Item("SKU-0001", 1)), "tok_visa", command("k", 1).shippingAddress()), Caller.WAITING);

		assertThat(theirs.replayed()).isFalse();
		assertThat(theirs.order().id()).isNotEqualTo(mine.order().id());
		assertThat(this.inventory.reservations).isEqualTo(2);
	}

	@Test
	void aRetryWithTheSameKeyAndBodyReplaysTheFirstResponse() {
		PlacedOrder first = this.service.place(command("k", 1), Caller.WAITING);
		PlacedOrder again = this.service.place(command("k", 1), Caller.WAITING);

		assertThat(again.replayed()).isTrue();
		assertThat(again.order()).isEqualTo(first.order());
		assertThat(this.inventory.reservations).isEqualTo(1);
		assertThat(this.events).hasSize(2);
	}

	@Test
	void aRetryThatFindsTheOrderAConcurrentRequestWithItsKeyJustStoredReplaysIt() {
		PlacedOrder first = this.service.place(command("k", 1), Caller.WAITING);
		// The concurrent request commits between this one's look for the key and for the
		// order.
		KeyedOrder committedMeanwhile = this.orders.keys.remove("k c-1");
		this.orders.meanwhile = () -> this.orders.keys.put("k c-1", committedMeanwhile);

		PlacedOrder again = this.service.place(command("k", 1), Caller.WAITING);

		assertThat(again.replayed()).isTrue();
		assertThat(again.order()).isEqualTo(first.order());
		assertThat(this.inventory.reservations).isEqualTo(1);
	}

	@Test
	void aKeyForgottenSinceItMadeItsOrderIsRefusedWithoutReservingStock() {
		this.service.place(command("k", 1), Caller.WAITING);
		this.orders.keys.remove("k c-1");

		assertThatThrownBy(() -> this.service.place(command("k", 1), Caller.WAITING))
			.isInstanceOf(IdempotencyKeyReusedException.class)
			.hasMessageContaining("longer ago than keys are kept");
		assertThat(this.inventory.reservations).isEqualTo(1);
	}

	@Test
	void theSameKeyWithAnotherBodyIsRefusedWithoutReservingStock() {
		this.service.place(command("k", 1), Caller.WAITING);

		assertThatThrownBy(() -> this.service.place(command("k", 2), Caller.WAITING))
			.isInstanceOf(IdempotencyKeyReusedException.class);
		assertThat(this.inventory.reservations).isEqualTo(1);
	}

	@Test
	void aFailureAfterReservingReleasesTheStock() {
		this.orders.failInserts = true;

		assertThatThrownBy(() -> this.service.place(command(null, 1), Caller.WAITING))
			.isInstanceOf(IllegalStateException.class);
		assertThat(this.inventory.released).hasSize(1);
		assertThat(this.events).isEmpty();
	}

	@Test
	void aCallerThatGaveUpWhileTheOrderWasWrittenGetsNoOrderAndItsStockBack() {
		int[] asked = new int[1];
		Caller givesUpAfterTheReservation = () -> ++asked[0] > 1;

		assertThatThrownBy(() -> this.service.place(command(null, 1), givesUpAfterTheReservation))
			.isInstanceOf(CallerGoneException.class)
			.hasMessageContaining("while the order was stored");

		assertThat(this.rollbacks).isEqualTo(1);
		assertThat(this.inventory.released).hasSize(1);
	}

	@Test
	void aCallerThatGaveUpDuringTheReservationGetsNoOrderAndItsStockBack() {
		assertThatThrownBy(() -> this.service.place(command(null, 1), () -> true))
			.isInstanceOf(CallerGoneException.class);

		assertThat(this.inventory.reservations).isEqualTo(1);
		assertThat(this.inventory.released).hasSize(1);
		assertThat(this.storedSagas.sagas).isEmpty();
		assertThat(this.events).isEmpty();
	}

	@Test
	void aKeyedRetryAfterAnAttemptGivenUpReservesAsANewAttemptOfTheSameOrder() {
		assertThatThrownBy(() -> this.service.place(command("k", 1), () -> true))
			.isInstanceOf(CallerGoneException.class);
		PlacedOrder retried = this.service.place(command("k", 1), Caller.WAITING);

		assertThat(this.inventory.attempts).hasSize(3);
		String[] first = this.inventory.attempts.get(0).split(" ");
		String[] release = this.inventory.attempts.get(1).split(" ");
		String[] retry = this.inventory.attempts.get(2).split(" ");
		// The release names the attempt it gives up; the retry is another attempt of the
		// same order id, which inventory reserves again (a late copy of the first must
		// not).
		assertThat(release).containsExactly("release", first[1], first[2]);
		assertThat(retry[1]).isEqualTo(first[1]).isEqualTo(retried.order().id());
		assertThat(retry[2]).isNotEqualTo(first[2]);
	}

	@Test
	void aReservationThatMayHaveHappenedIsUndoneUnlessAKeyedRetryCanComeBackForIt() {
		this.inventory.unavailable = true;

		assertThatThrownBy(() -> this.service.place(command(null, 1), Caller.WAITING))
			.isInstanceOf(InventoryUnavailableException.class);
		assertThat(this.inventory.released).hasSize(1);

		assertThatThrownBy(() -> this.service.place(command("k", 1), Caller.WAITING))
			.isInstanceOf(InventoryUnavailableException.class);
		assertThat(this.inventory.released).hasSize(1);
	}

	@Test
	void newOrdersAreRefusedWhileTooManySagasAreInProgressButKeyedRetriesStillGetTheirAnswer() {
		PlacedOrder first = this.service.place(command("k", 1), Caller.WAITING);
		this.service.place(command(null, 1), Caller.WAITING);
		this.service.place(command(null, 1), Caller.WAITING);

		assertThatThrownBy(() -> this.service.place(command(null, 1), Caller.WAITING)).isInstanceOfSatisfying(
				OverloadedException.class, (ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(2)));
		assertThat(this.inventory.reservations).isEqualTo(3);
		assertThat(this.service.place(command("k", 1), Caller.WAITING).order()).isEqualTo(first.order());

		this.admission.refresh();
		assertThatThrownBy(() -> this.service.place(command(null, 1), Caller.WAITING))
			.isInstanceOf(OverloadedException.class);

		this.storedSagas.sagas.remove(first.order().id());
		this.admission.refresh();
		assertThat(this.service.place(command(null, 1), Caller.WAITING).replayed()).isFalse();
	}

	@Test
	void theSagaReadsTheOrderOnlyForTheStepsThatNeedMoreThanItsId() {
		String id = this.service.place(command(null, 1), Caller.WAITING).order().id();
		this.orders.finds = 0;

		// Charged: the order moves to PAID and allocation is asked for by id.
		this.sagas.stepSucceeded(id, StepName.CHARGE, "pay-1", null);
		assertThat(this.events).endsWith("allocate " + id);
		assertThat(this.orders.finds).isZero();

		// Allocated: the shipment needs the address.
		this.sagas.stepSucceeded(id, StepName.ALLOCATE, "alloc-1", null);
		assertThat(this.events).endsWith("ship " + id);
		assertThat(this.orders.finds).isEqualTo(1);
	}

	static class FakeInventory implements InventoryPort {

		int reservations;

		boolean unavailable;

		final List<String> released = new ArrayList<>();

		/** "orderId attemptId" of each reserve and release call. */
		final List<String> attempts = new ArrayList<>();

		@Override
		public List<OrderLine> reserve(String orderId, String attemptId, List<Item> items) {
			this.reservations++;
			this.attempts.add("reserve " + orderId + " " + attemptId);
			if (this.unavailable) {
				throw new InventoryUnavailableException("inventory: DEADLINE_EXCEEDED", Duration.ofSeconds(1), null);
			}
			return items.stream().map((i) -> new OrderLine(i.sku(), i.quantity(), 150)).toList();
		}

		@Override
		public void release(String orderId, String attemptId) {
			this.released.add(orderId);
			this.attempts.add("release " + orderId + " " + attemptId);
		}

		@Override
		public List<HeldReservation> heldSince(Instant before, String afterOrderId, int limit) {
			return List.of();
		}

	}

	static class FakeOrders implements OrderRepository {

		final Map<String, Order> orders = new HashMap<>();

		final Map<String, KeyedOrder> keys = new HashMap<>();

		boolean failInserts;

		int finds;

		/** Runs at each {@link #find}: what other requests commit meanwhile. */
		Runnable meanwhile = () -> {
		};

		@Override
		public void insert(Order order) {
			if (this.failInserts) {
				throw new IllegalStateException("database down");
			}
			this.orders.put(order.id(), order);
		}

		@Override
		public Optional<Order> find(String orderId) {
			this.finds++;
			this.meanwhile.run();
			return Optional.ofNullable(this.orders.get(orderId));
		}

		@Override
		public List<Order> findAll(Collection<String> orderIds) {
			return orderIds.stream().map(this.orders::get).filter(Objects::nonNull).toList();
		}

		@Override
		public boolean transition(String orderId, OrderStatus from, OrderStatus to, String reason, Instant at) {
			return false;
		}

		@Override
		public void rememberKey(String key, String fingerprint, String orderId) {
			this.keys.put(key, new KeyedOrder(fingerprint, orderId));
		}

		@Override
		public Optional<KeyedOrder> findKey(String key) {
			return Optional.ofNullable(this.keys.get(key));
		}

		@Override
		public byte[] orderIdSecret() {
			return "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		}

	}

	static class FakeSagas implements SagaRepository {

		final Map<String, Saga> sagas = new HashMap<>();

		@Override
		public void insert(Saga saga, String paymentToken, Instant now) {
			this.sagas.put(saga.orderId(), saga);
		}

		@Override
		public Optional<Saga> lock(String orderId, SagaTimeouts timeouts) {
			return Optional.ofNullable(this.sagas.get(orderId));
		}

		@Override
		public Optional<Saga> lockIfFree(String orderId, SagaTimeouts timeouts) {
			return lock(orderId, timeouts);
		}

		@Override
		public Optional<Saga> peek(String orderId, SagaTimeouts timeouts) {
			return lock(orderId, timeouts);
		}

		@Override
		public void update(Saga saga, Instant now) {
			this.sagas.put(saga.orderId(), saga);
		}

		@Override
		public List<String> overdue(Instant now, int limit) {
			return List.of();
		}

		@Override
		public int countActive() {
			return (int) this.sagas.values().stream().filter((saga) -> !saga.status().isFinal()).count();
		}

		@Override
		public Optional<Instant> earliestDeadline() {
			return this.sagas.values().stream().flatMap((saga) -> saga.deadline().stream()).min(Instant::compareTo);
		}

		@Override
		public String paymentToken(String orderId) {
			return "tok_visa";
		}

		@Override
		public Optional<SagaRecord> find(String orderId, SagaTimeouts timeouts) {
			return Optional.empty();
		}

	}

	record RecordingCommands(List<String> log) implements SagaCommands {

		private String add(String command) {
			this.log.add(command);
			return "message-" + this.log.size();
		}

		@Override
		public String allocate(String orderId) {
			return add("allocate " + orderId);
		}

		@Override
		public String deallocate(String orderId) {
			return add("deallocate " + orderId);
		}

		@Override
		public String release(String orderId) {
			return add("release " + orderId);
		}

		@Override
		public String ship(Order order) {
			return add("ship " + order.id());
		}

		@Override
		public String cancelShipment(String orderId) {
			return add("cancel shipment " + orderId);
		}

	}

	record RecordingPayments(List<String> log) implements PaymentCommands {

		@Override
		public String charge(Order order, String paymentToken) {
			this.log.add("charge " + order.id() + " " + paymentToken);
			return "message-" + this.log.size();
		}

		@Override
		public String refund(String orderId) {
			this.log.add("refund " + orderId);
			return "message-" + this.log.size();
		}

	}

	/** Runs the callback directly: the fakes need no transaction. */
	class NoTransactions extends AbstractPlatformTransactionManager {

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, org.springframework.transaction.TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
			PlaceOrderServiceTest.this.rollbacks++;
		}

	}

}
