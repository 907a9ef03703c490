package dev.switchboard.inventory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.PaymentApproved;
import dev.switchboard.contracts.events.v1.StockAllocated;
import dev.switchboard.contracts.events.v1.StockAllocationFailed;
import dev.switchboard.contracts.events.v1.StockReleased;
import dev.switchboard.contracts.inventory.v1.CheckAndReserveRequest;
import dev.switchboard.contracts.inventory.v1.GetProductRequest;
import dev.switchboard.contracts.inventory.v1.InventoryServiceGrpc;
import dev.switchboard.contracts.inventory.v1.Line;
import dev.switchboard.contracts.inventory.v1.ListReservedBeforeRequest;
import dev.switchboard.contracts.inventory.v1.Product;
import dev.switchboard.contracts.inventory.v1.ProductChange;
import dev.switchboard.contracts.inventory.v1.WatchProductsRequest;
import dev.switchboard.contracts.inventory.v1.ReleaseRequest;
import dev.switchboard.contracts.inventory.v1.ReservedBefore;
import dev.switchboard.contracts.inventory.v1.Reservation;
import dev.switchboard.contracts.inventory.v1.ReservationState;
import dev.switchboard.contracts.saga.v1.AllocateStock;
import dev.switchboard.contracts.saga.v1.DeallocateStock;
import dev.switchboard.contracts.saga.v1.ReleaseStock;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.embedded.FreePorts;
import dev.switchboard.testing.TestEvents;
import dev.switchboard.testing.ServiceIntegrationTest;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

@ServiceIntegrationTest(service = "inventory", webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		topics = { Topics.ORDER_CHOREOGRAPHY, Topics.PAYMENT_EVENTS, Topics.INVENTORY_COMMANDS, Topics.SAGA_REPLIES })
class InventoryIntegrationTest {

	private static final int GRPC_PORT = FreePorts.next();

	private static ManagedChannel channel;

	@Autowired
	JdbcTemplate jdbc;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.server.port", () -> GRPC_PORT);
		registry.add("server.port", () -> 0);
	}

	@BeforeAll
	static void connect() {
		channel = ManagedChannelBuilder.forAddress("127.0.0.1", GRPC_PORT).usePlaintext().build();
	}

	@AfterAll
	static void disconnect() {
		channel.shutdownNow();
	}

	private InventoryServiceGrpc.InventoryServiceBlockingStub inventory() {
		return InventoryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(Duration.ofSeconds(10));
	}

	private static CheckAndReserveRequest reserve(String orderId, String sku, int quantity) {
		return CheckAndReserveRequest.newBuilder()
			.setOrderId(orderId)
			.addLines(Line.newBuilder().setSku(sku).setQuantity(quantity))
			.build();
	}

	private int available(String sku) {
		return inventory().getProduct(GetProductRequest.newBuilder().setSku(sku).build()).getAvailable();
	}

	private void assertStockConserved() {
		assertThat(this.jdbc.queryForObject(
				"SELECT count(*) FROM products WHERE initial_stock <> available + reserved + shipped", Integer.class))
			.isZero();
		assertThat(this.jdbc.queryForObject("""
				SELECT coalesce(sum(l.quantity), 0) FROM reservation_lines l
				JOIN reservations r ON r.order_id = l.order_id WHERE r.state = 'RESERVED'""", Integer.class))
			.isEqualTo(this.jdbc.queryForObject("SELECT sum(reserved) FROM products", Integer.class));
	}

	@Test
	void concurrentOrdersForTheLastUnitsSellExactlyTheStock() throws Exception {
		String sku = "SKU-0050";
		int leave = 5;
		inventory().checkAndReserve(reserve(UUID.randomUUID().toString(), sku, available(sku) - leave));

		List<Callable<Boolean>> racers = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			racers.add(() -> {
				try {
					inventory().checkAndReserve(reserve(UUID.randomUUID().toString(), sku, 1));
					return true;
				}
				catch (StatusRuntimeException ex) {
					assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
					return false;
				}
			});
		}
		int accepted = 0;
		try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
			for (Future<Boolean> result : pool.invokeAll(racers)) {
				accepted += result.get() ? 1 : 0;
			}
		}
		assertThat(accepted).isEqualTo(leave);
		assertThat(available(sku)).isZero();
		assertStockConserved();
	}

	@Test
	void aReservationTakesEveryLineOrNone() {
		int before = available("SKU-0010");
		CheckAndReserveRequest tooMuch = CheckAndReserveRequest.newBuilder()
			.setOrderId(UUID.randomUUID().toString())
			.addLines(Line.newBuilder().setSku("SKU-0010").setQuantity(1))
			.addLines(Line.newBuilder().setSku("SKU-0011").setQuantity(1_000_000))
			.build();

		assertThatThrownBy(() -> inventory().checkAndReserve(tooMuch)).isInstanceOfSatisfying(
				StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
		assertThat(available("SKU-0010")).isEqualTo(before);
		assertStockConserved();
	}

	@Test
	void unknownSkuIsNotFoundAndNamesTheSku() {
		assertThatThrownBy(() -> inventory().checkAndReserve(reserve(UUID.randomUUID().toString(), "SKU-9999", 1)))
			.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
				assertThat(ex.getStatus().getDescription()).contains("SKU-9999");
			});
	}

	@Test
	void repeatingAReservationTakesStockOnceAndOtherLinesConflict() {
		String orderId = UUID.randomUUID().toString();
		int before = available("SKU-0020");

		Reservation first = inventory().checkAndReserve(reserve(orderId, "SKU-0020", 2));
		Reservation again = inventory().checkAndReserve(reserve(orderId, "SKU-0020", 2));

		assertThat(again).isEqualTo(first);
		assertThat(available("SKU-0020")).isEqualTo(before - 2);
		assertThatThrownBy(() -> inventory().checkAndReserve(reserve(orderId, "SKU-0020", 3))).isInstanceOfSatisfying(
				StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
	}

	@Test
	void aRepeatedReservationOfSeveralLinesAnswersWithTheStoredOneWhole() {
		String orderId = UUID.randomUUID().toString();
		CheckAndReserveRequest twoLines = reserve(orderId, "SKU-0022", 1).toBuilder()
			.addLines(Line.newBuilder().setSku("SKU-0021").setQuantity(2))
			.build();

		Reservation first = inventory().checkAndReserve(twoLines);
		Reservation again = inventory().checkAndReserve(twoLines);

		assertThat(again).isEqualTo(first);
		assertThat(again.getLinesList()).extracting((line) -> line.getSku() + " x" + line.getQuantity())
			.containsExactlyInAnyOrder("SKU-0021 x2", "SKU-0022 x1");
	}

	@Test
	void releasingTwiceReturnsTheStockOnce() {
		String orderId = UUID.randomUUID().toString();
		int before = available("SKU-0030");
		inventory().checkAndReserve(reserve(orderId, "SKU-0030", 3));

		inventory().release(ReleaseRequest.newBuilder().setOrderId(orderId).build());
		Reservation released = inventory().release(ReleaseRequest.newBuilder().setOrderId(orderId).build());

		assertThat(released.getState()).isEqualTo(ReservationState.RELEASED);
		assertThat(available("SKU-0030")).isEqualTo(before);
		assertStockConserved();
	}

	@Test
	void aReleaseThatOvertakesItsReservationMakesTheLateReservationFail() {
		String orderId = UUID.randomUUID().toString();
		int before = available("SKU-0031");

		inventory().release(ReleaseRequest.newBuilder().setOrderId(orderId).build());

		assertThatThrownBy(() -> inventory().checkAndReserve(reserve(orderId, "SKU-0031", 2))).isInstanceOfSatisfying(
				StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
		assertThat(available("SKU-0031")).isEqualTo(before);
		assertStockConserved();
	}

	@Test
	void aReleasedReservationIsReservedAgainOnlyByANewAttemptOfTheOrder() {
		// The order service gave up on attempt a1 (its caller left) and released it; the
		// client's keyed retry is attempt a2 of the same order id.
		String orderId = UUID.randomUUID().toString();
		int before = available("SKU-0032");
		inventory().checkAndReserve(reserve(orderId, "SKU-0032", 2).toBuilder().setAttemptId("a1").build());
		inventory().release(ReleaseRequest.newBuilder().setOrderId(orderId).setAttemptId("a1").build());

		// A late copy of a1 is refused: it would take stock nobody will release.
		assertThatThrownBy(() -> inventory()
			.checkAndReserve(reserve(orderId, "SKU-0032", 2).toBuilder().setAttemptId("a1").build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
		// So is a request that names no attempt.
		assertThatThrownBy(() -> inventory().checkAndReserve(reserve(orderId, "SKU-0032", 2))).isInstanceOfSatisfying(
				StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
		assertThat(available("SKU-0032")).isEqualTo(before);

		Reservation again = inventory()
			.checkAndReserve(reserve(orderId, "SKU-0032", 2).toBuilder().setAttemptId("a2").build());
		assertThat(again.getState()).isEqualTo(ReservationState.RESERVED);
		assertThat(again.getLinesList()).singleElement().satisfies((l) -> assertThat(l.getQuantity()).isEqualTo(2));
		assertThat(available("SKU-0032")).isEqualTo(before - 2);
		assertStockConserved();

		// The same holds after a release that overtook its reservation.
		String overtaken = UUID.randomUUID().toString();
		inventory().release(ReleaseRequest.newBuilder().setOrderId(overtaken).setAttemptId("b1").build());
		assertThatThrownBy(() -> inventory()
			.checkAndReserve(reserve(overtaken, "SKU-0033", 1).toBuilder().setAttemptId("b1").build()))
			.isInstanceOf(StatusRuntimeException.class);
		assertThat(inventory().checkAndReserve(reserve(overtaken, "SKU-0033", 1).toBuilder().setAttemptId("b2").build())
			.getState()).isEqualTo(ReservationState.RESERVED);
		assertStockConserved();
	}

	@Test
	void reservationsStillHeldSinceBeforeAnInstantAreListedAPageAtATimeWithTheirAttempt() {
		String held = "held-" + UUID.randomUUID();
		String released = "released-" + UUID.randomUUID();
		inventory().checkAndReserve(reserve(held, "SKU-0034", 1).toBuilder().setAttemptId("h1").build());
		inventory().checkAndReserve(reserve(released, "SKU-0034", 1).toBuilder().setAttemptId("r1").build());
		inventory().release(ReleaseRequest.newBuilder().setOrderId(released).setAttemptId("r1").build());
		long later = System.currentTimeMillis() + 60_000;

		List<ReservedBefore> all = new java.util.ArrayList<>();
		String after = "";
		List<ReservedBefore> page;
		do {
			page = inventory()
				.listReservedBefore(ListReservedBeforeRequest.newBuilder()
					.setReservedBeforeEpochMillis(later)
					.setAfterOrderId(after)
					.setLimit(2)
					.build())
				.getReservationsList();
			assertThat(page).hasSizeLessThanOrEqualTo(2);
			all.addAll(page);
			after = page.isEmpty() ? after : page.getLast().getOrderId();
		}
		while (page.size() == 2);

		assertThat(all).extracting(ReservedBefore::getOrderId).doesNotContain(released);
		assertThat(all).filteredOn((r) -> r.getOrderId().equals(held))
			.singleElement()
			.satisfies((r) -> assertThat(r.getAttemptId()).isEqualTo("h1"));
		// Made after the instant asked for: not (yet) listed.
		assertThat(inventory()
			.listReservedBefore(ListReservedBeforeRequest.newBuilder()
				.setReservedBeforeEpochMillis(System.currentTimeMillis() - 60_000)
				.setLimit(1000)
				.build())
			.getReservationsList()).extracting(ReservedBefore::getOrderId).doesNotContain(held);
		assertThatThrownBy(() -> inventory().listReservedBefore(
				ListReservedBeforeRequest.newBuilder().setReservedBeforeEpochMillis(later).setLimit(5000).build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
	}

	/** One REST call to inventory's reservations: status, content type, JSON body. */
	private record Answer(int status, String contentType, JsonNode body) {
	}

	private Answer rest(String method, String path, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		try (HttpClient client = HttpClient.newHttpClient()) {
			HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					JSON.readTree(response.body()));
		}
	}

	private static String reservation(String attemptId, String sku, int quantity) {
		return "{\"attemptId\":\"" + attemptId + "\",\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity
				+ "}]}";
	}

	@Test
	void overRestAReservationIsPricedTakesStockOnceAndOtherLinesConflict() throws Exception {
		String orderId = UUID.randomUUID().toString();
		int before = available("SKU-0040");

		Answer first = rest("PUT", "/reservations/" + orderId, reservation("a1", "SKU-0040", 2));
		Answer again = rest("PUT", "/reservations/" + orderId, reservation("a1", "SKU-0040", 2));

		assertThat(first.status()).isEqualTo(200);
		assertThat(first.body().get("state").asString()).isEqualTo("RESERVED");
		assertThat(first.body().get("lines")).singleElement().satisfies((line) -> {
			assertThat(line.get("sku").asString()).isEqualTo("SKU-0040");
			assertThat(line.get("quantity").asInt()).isEqualTo(2);
			assertThat(line.get("unitPriceCents").asLong()).isPositive();
		});
		assertThat(again.body()).isEqualTo(first.body());
		assertThat(available("SKU-0040")).isEqualTo(before - 2);
		Answer conflict = rest("PUT", "/reservations/" + orderId, reservation("a1", "SKU-0040", 3));
		assertThat(conflict.status()).isEqualTo(409);
		assertThat(conflict.contentType()).startsWith("application/problem+json");
		assertThat(conflict.body().get("code").asString()).isEqualTo("reservation-conflict");
		assertStockConserved();
	}

	@Test
	void overRestRefusalsAreProblemsWithACodeAndTakeNothing() throws Exception {
		int before = available("SKU-0041");

		Answer unknown = rest("PUT", "/reservations/" + UUID.randomUUID(), reservation("a1", "SKU-9999", 1));
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.body().get("code").asString()).isEqualTo("unknown-sku");
		assertThat(unknown.body().get("detail").asString()).contains("SKU-9999");

		Answer short_ = rest("PUT", "/reservations/" + UUID.randomUUID(), reservation("a1", "SKU-0041", 1_000_000));
		assertThat(short_.status()).isEqualTo(409);
		assertThat(short_.body().get("code").asString()).isEqualTo("out-of-stock");

		for (String bad : List.of(reservation("a1", "SKU-0041", 0), "{\"lines\":[]}", "{\"lines\":[null]}", "not json",
				"{\"lines\":[{\"sku\":\"SKU-0041\",\"quantity\":\"many\"}]}")) {
			Answer invalid = rest("PUT", "/reservations/" + UUID.randomUUID(), bad);
			assertThat(invalid.status()).as(bad).isEqualTo(400);
			assertThat(invalid.contentType()).as(bad).startsWith("application/problem+json");
			assertThat(invalid.body().get("code").asString()).as(bad).isEqualTo("invalid-reservation");
		}
		Answer badInstant = rest("GET", "/reservations?heldBefore=yesterday", null);
		assertThat(badInstant.status()).isEqualTo(400);
		assertThat(rest("GET", "/reservations?heldBefore=1&limit=5000", null).status()).isEqualTo(400);
		assertThat(available("SKU-0041")).isEqualTo(before);
		assertStockConserved();
	}

	@Test
	void overRestAReleaseGivesTheStockBackOnceRefusesTheLateCopyAndHeldReservationsAreListed() throws Exception {
		String orderId = "rest-" + UUID.randomUUID();
		int before = available("SKU-0042");
		rest("PUT", "/reservations/" + orderId, reservation("a1", "SKU-0042", 2));
		long later = System.currentTimeMillis() + 60_000;
		assertThat(rest("GET", "/reservations?heldBefore=" + later + "&limit=1000", null).body()).anySatisfy((held) -> {
			assertThat(held.get("orderId").asString()).isEqualTo(orderId);
			assertThat(held.get("attemptId").asString()).isEqualTo("a1");
		});

		Answer released = rest("DELETE", "/reservations/" + orderId + "?attemptId=a1", null);
		Answer twice = rest("DELETE", "/reservations/" + orderId + "?attemptId=a1", null);

		assertThat(released.status()).isEqualTo(200);
		assertThat(released.body().get("state").asString()).isEqualTo("RELEASED");
		assertThat(twice.body().get("state").asString()).isEqualTo("RELEASED");
		assertThat(available("SKU-0042")).isEqualTo(before);
		Answer late = rest("PUT", "/reservations/" + orderId, reservation("a1", "SKU-0042", 2));
		assertThat(late.status()).isEqualTo(409);
		assertThat(late.body().get("code").asString()).isEqualTo("reservation-released");
		assertThat(rest("GET", "/reservations?heldBefore=" + later + "&limit=1000", null).body())
			.noneSatisfy((held) -> assertThat(held.get("orderId").asString()).isEqualTo(orderId));
		assertThat(available("SKU-0042")).isEqualTo(before);
		assertStockConserved();
	}

	@Test
	void aRedeliveredOrderCancelledReleasesTheReservationOnce() throws Exception {
		String orderId = UUID.randomUUID().toString();
		int before = available("SKU-0040");
		inventory().checkAndReserve(reserve(orderId, "SKU-0040", 4));
		// Another order takes stock after, so a double release would show as too much
		// stock.
		inventory().checkAndReserve(reserve(UUID.randomUUID().toString(), "SKU-0040", 1));

		OrderCancelled cancelled = OrderCancelled.newBuilder().setOrderId(orderId).setReason("test").build();
		String eventId = TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, orderId, cancelled);
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, orderId, cancelled, eventId);

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.jdbc
				.queryForObject("SELECT count(*) FROM platform.inbox WHERE message_id = ?", Integer.class, eventId))
				.isEqualTo(1));
		await().atMost(Duration.ofSeconds(30)).until(() -> available("SKU-0040") == before - 1);
		assertStockConserved();
	}

	private String reservationState(String orderId) {
		return this.jdbc.queryForObject("SELECT state FROM reservations WHERE order_id = ?", String.class, orderId);
	}

	private int shipped(String sku) {
		return this.jdbc.queryForObject("SELECT shipped FROM products WHERE sku = ?", Integer.class, sku);
	}

	private static List<StepReply> replies(String orderId) {
		return TestEvents.read(Topics.SAGA_REPLIES, orderId, StepReply.getDefaultInstance());
	}

	@Test
	void sagaCommandsAllocateDeallocateAndReleaseEachAnsweredOnce() {
		String orderId = UUID.randomUUID().toString();
		int before = available("SKU-0050");
		int shippedBefore = shipped("SKU-0050");
		inventory().checkAndReserve(reserve(orderId, "SKU-0050", 2));

		TestEvents.publish(Topics.INVENTORY_COMMANDS, orderId, AllocateStock.newBuilder().setOrderId(orderId).build());
		TestEvents.publish(Topics.INVENTORY_COMMANDS, orderId, AllocateStock.newBuilder().setOrderId(orderId).build());
		await().atMost(Duration.ofSeconds(30)).until(() -> replies(orderId).size() == 2);
		assertThat(replies(orderId)).allSatisfy((r) -> {
			assertThat(r.getStep()).isEqualTo(SagaStep.ALLOCATE);
			assertThat(r.getSucceeded()).isTrue();
		});
		assertThat(reservationState(orderId)).isEqualTo("ALLOCATED");
		assertThat(shipped("SKU-0050")).as("allocated once").isEqualTo(shippedBefore + 2);

		TestEvents.publish(Topics.INVENTORY_COMMANDS, orderId,
				DeallocateStock.newBuilder().setOrderId(orderId).build());
		TestEvents.publish(Topics.INVENTORY_COMMANDS, orderId, ReleaseStock.newBuilder().setOrderId(orderId).build());

		await().atMost(Duration.ofSeconds(30)).until(() -> replies(orderId).size() == 4);
		assertThat(replies(orderId).subList(2, 4))
			.extracting(StepReply::getStep, StepReply::getCompensation, StepReply::getSucceeded)
			.containsExactly(tuple(SagaStep.ALLOCATE, true, true), tuple(SagaStep.RESERVE, true, true));
		assertThat(reservationState(orderId)).isEqualTo("RELEASED");
		assertThat(available("SKU-0050")).isEqualTo(before);
		assertThat(shipped("SKU-0050")).isEqualTo(shippedBefore);
		assertStockConserved();
	}

	@Test
	void theTestProductCanBeReservedButNeverAllocated() {
		String orderId = UUID.randomUUID().toString();
		inventory().checkAndReserve(reserve(orderId, "TEST-ALLOCATION-FAILS", 1));

		TestEvents.publish(Topics.INVENTORY_COMMANDS, orderId, AllocateStock.newBuilder().setOrderId(orderId).build());

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(replies(orderId)).singleElement().satisfies((r) -> {
				assertThat(r.getSucceeded()).isFalse();
				assertThat(r.getReason()).contains("TEST-ALLOCATION-FAILS");
			}));
		assertThat(reservationState(orderId)).as("the saga releases it").isEqualTo("RESERVED");
	}

	@Test
	void inChoreographyAFailedAllocationReleasesTheReservationAndSaysSo() {
		String orderId = UUID.randomUUID().toString();
		int before = available("TEST-ALLOCATION-FAILS");
		inventory().checkAndReserve(reserve(orderId, "TEST-ALLOCATION-FAILS", 1));

		TestEvents.publish(Topics.PAYMENT_EVENTS, orderId, PaymentApproved.newBuilder().setOrderId(orderId).build());

		await().atMost(Duration.ofSeconds(30))
			.until(() -> TestEvents.read(Topics.INVENTORY_EVENTS, orderId, StockReleased.getDefaultInstance())
				.size() == 1);
		assertThat(TestEvents.read(Topics.INVENTORY_EVENTS, orderId, StockAllocationFailed.getDefaultInstance()))
			.hasSize(1);
		assertThat(TestEvents.read(Topics.INVENTORY_EVENTS, orderId, StockAllocated.getDefaultInstance())).isEmpty();
		assertThat(available("TEST-ALLOCATION-FAILS")).isEqualTo(before);
		assertStockConserved();
	}

	@Test
	void aWatchBeginsWithAResetThenSendsTheLatestOfEachChangeWithinTheCreditGranted() throws Exception {
		BlockingQueue<ProductChange> received = new LinkedBlockingQueue<>();
		AtomicReference<ClientCallStreamObserver<WatchProductsRequest>> requests = new AtomicReference<>();
		InventoryServiceGrpc.newStub(channel)
			.watchProducts(new ClientResponseObserver<WatchProductsRequest, ProductChange>() {

				@Override
				public void beforeStart(ClientCallStreamObserver<WatchProductsRequest> stream) {
					requests.set(stream);
				}

				@Override
				public void onNext(ProductChange change) {
					received.add(change);
				}

				@Override
				public void onError(Throwable error) {
				}

				@Override
				public void onCompleted() {
				}

			});
		try {
			requests.get().onNext(WatchProductsRequest.newBuilder().setCredit(1).addSkus("SKU-0061").build());
			assertThat(received.poll(10, TimeUnit.SECONDS)).as("the first answer")
				.isEqualTo(ProductChange.newBuilder().setReset(true).build());

			// Credit spent: these wait, the latest per SKU; SKU-0062 is not watched.
			inventory().checkAndReserve(reserve(UUID.randomUUID().toString(), "SKU-0062", 1));
			inventory().checkAndReserve(reserve(UUID.randomUUID().toString(), "SKU-0061", 2));
			this.jdbc.update("UPDATE products SET price_cents = price_cents + 1 WHERE sku = 'SKU-0061'");
			Product now = inventory().getProduct(GetProductRequest.newBuilder().setSku("SKU-0061").build());
			requests.get().onNext(WatchProductsRequest.newBuilder().setCredit(10).build());

			List<ProductChange> changes = new ArrayList<>();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				received.drainTo(changes);
				assertThat(changes).isNotEmpty();
				assertThat(changes.getLast().getProduct()).isEqualTo(now.toBuilder().clearName().build());
			});
			assertThat(changes).as("changes of the watched SKU only, no more than were made")
				.hasSizeLessThanOrEqualTo(2)
				.allSatisfy((change) -> assertThat(change.getProduct().getSku()).isEqualTo("SKU-0061"));
		}
		finally {
			requests.get().onCompleted();
		}
	}

	@Test
	void aWatchAskingForNegativeCreditIsRefused() throws Exception {
		CompletableFuture<Throwable> ended = new CompletableFuture<>();
		StreamObserver<WatchProductsRequest> requests = InventoryServiceGrpc.newStub(channel)
			.watchProducts(new StreamObserver<>() {

				@Override
				public void onNext(ProductChange change) {
				}

				@Override
				public void onError(Throwable error) {
					ended.complete(error);
				}

				@Override
				public void onCompleted() {
					ended.complete(null);
				}

			});
		requests.onNext(WatchProductsRequest.newBuilder().setCredit(-1).build());
		assertThat(Status.fromThrowable(ended.get(10, TimeUnit.SECONDS)).getCode())
			.isEqualTo(Status.Code.INVALID_ARGUMENT);
	}

}
