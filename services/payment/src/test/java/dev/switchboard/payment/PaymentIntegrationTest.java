package dev.switchboard.payment;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.contracts.events.v1.PaymentApproved;
import dev.switchboard.contracts.events.v1.PaymentDeclined;
import dev.switchboard.contracts.events.v1.PaymentRefunded;
import dev.switchboard.contracts.events.v1.SagaMode;
import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.contracts.payment.v1.PaymentServiceGrpc;
import dev.switchboard.contracts.saga.v1.ChargePayment;
import dev.switchboard.contracts.saga.v1.RefundPayment;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.embedded.FreePorts;
import dev.switchboard.testing.TestEvents;
import dev.switchboard.testing.ServiceIntegrationTest;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@ServiceIntegrationTest(service = "payment",
		topics = { Topics.ORDER_EVENTS, Topics.ORDER_CHOREOGRAPHY, Topics.SAGA_REPLIES, Topics.PAYMENT_COMMAND_STREAM },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "switchboard.admin.token=s3cret")
class PaymentIntegrationTest {

	private static final int GRPC_PORT = FreePorts.next();

	@DynamicPropertySource
	static void grpc(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.server.port", () -> GRPC_PORT);
	}

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	dev.switchboard.payment.application.port.in.ListPaymentsUseCase paymentViews;

	@Autowired
	dev.switchboard.payment.application.port.in.ChargeOrdersUseCase payments;

	@Autowired
	org.springframework.transaction.support.TransactionTemplate transactions;

	@BeforeAll
	static void topics() {
		// The work queue the test sends to before the service has declared it.
		TestEvents.createTopics(Queues.PAYMENT_COMMANDS.name());
	}

	private static OrderCreated created(String orderId, String token) {
		return OrderCreated.newBuilder().setOrderId(orderId).setPaymentToken(token).setTotalCents(1999).build();
	}

	private String status(String orderId) {
		return this.jdbc.queryForList("SELECT status FROM payments WHERE order_id = ?", String.class, orderId)
			.stream()
			.findFirst()
			.orElse(null);
	}

	@Test
	void chargesAnOrderOnceHoweverOftenOrderCreatedArrives() {
		String orderId = UUID.randomUUID().toString();
		String eventId = TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, orderId, created(orderId, "tok_visa"));
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, orderId, created(orderId, "tok_visa"), eventId);
		// Even a copy with a new event id cannot charge twice: the order id is the
		// charge's key.
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, orderId, created(orderId, "tok_visa"));

		await().atMost(Duration.ofSeconds(30)).until(() -> "APPROVED".equals(status(orderId)));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.queryForObject("SELECT count(*) FROM platform.inbox WHERE message_id = ?",
					Integer.class, eventId) == 1);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					TestEvents.read(Topics.PAYMENT_EVENTS, orderId, PaymentApproved.getDefaultInstance()))
				.singleElement()
				.satisfies((e) -> assertThat(e.getAmountCents()).isEqualTo(1999)));
		assertThat(this.paymentViews.payments(List.of("no-such-order", orderId)))
			.as("several orders' payments in one read, as the gateway's GraphQL asks")
			.singleElement()
			.satisfies((payment) -> assertThat(payment.orderId()).isEqualTo(orderId));
	}

	@Test
	void declinesTheDeclineTestTokenAndRefundsNothingOnCancellation() {
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, orderId, created(orderId, "tok_chargeDeclined"));
		await().atMost(Duration.ofSeconds(30)).until(() -> "DECLINED".equals(status(orderId)));

		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, orderId, OrderCancelled.newBuilder().setOrderId(orderId).build());

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					TestEvents.read(Topics.PAYMENT_EVENTS, orderId, PaymentDeclined.getDefaultInstance()))
				.singleElement()
				.satisfies((e) -> assertThat(e.getReason()).isEqualTo("card declined")));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					TestEvents.read(Topics.PAYMENT_EVENTS, orderId, PaymentRefunded.getDefaultInstance()))
				.singleElement()
				.satisfies((e) -> assertThat(e.getAmountCents()).isZero()));
		assertThat(status(orderId)).isEqualTo("DECLINED");
	}

	@Test
	void refundsACancelledOrderOnce() {
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, orderId, created(orderId, "tok_visa"));
		await().atMost(Duration.ofSeconds(30)).until(() -> "APPROVED".equals(status(orderId)));

		OrderCancelled cancelled = OrderCancelled.newBuilder().setOrderId(orderId).setReason("test").build();
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, orderId, cancelled);
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, orderId, cancelled);

		await().atMost(Duration.ofSeconds(30)).until(() -> "REFUNDED".equals(status(orderId)));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					TestEvents.read(Topics.PAYMENT_EVENTS, orderId, PaymentRefunded.getDefaultInstance()))
				.extracting(PaymentRefunded::getAmountCents)
				.containsExactly(1999L, 0L));
	}

	@Test
	void chargesOnlyWhatTheChoreographyTopicAsksNotEveryOrderEvent() {
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Topics.ORDER_EVENTS, orderId,
				created(orderId, "tok_visa").toBuilder().setSagaMode(SagaMode.ORCHESTRATION).build());
		String marker = UUID.randomUUID().toString();
		TestEvents.publish(Topics.ORDER_CHOREOGRAPHY, orderId, created(marker, "tok_visa"));

		await().atMost(Duration.ofSeconds(30)).until(() -> "APPROVED".equals(status(marker)));
		assertThat(status(orderId)).isNull();
	}

	private List<StepReply> replies(String orderId) {
		return TestEvents.read(Topics.SAGA_REPLIES, orderId, StepReply.getDefaultInstance());
	}

	private static ChargePayment charge(String orderId, String token) {
		return ChargePayment.newBuilder().setOrderId(orderId).setPaymentToken(token).setAmountCents(1999).build();
	}

	@Test
	void answersEveryChargeCommandWithTheSameOutcomeAndChargesOnce() {
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Queues.PAYMENT_COMMANDS.name(), orderId, charge(orderId, "tok_visa"));
		TestEvents.publish(Queues.PAYMENT_COMMANDS.name(), orderId, charge(orderId, "tok_visa"));

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(replies(orderId)).hasSize(2).allSatisfy((r) -> {
				assertThat(r.getStep()).isEqualTo(SagaStep.CHARGE);
				assertThat(r.getSucceeded()).isTrue();
				assertThat(r.getCompensation()).isFalse();
			})
				.extracting(StepReply::getReference)
				.containsOnly(this.jdbc.queryForObject("SELECT payment_id FROM payments WHERE order_id = ?",
						String.class, orderId)));

		// The provider's books: one charge, whatever the number of commands.
		assertThat(ledger(orderId)).containsExactly("CHARGE 1999 approved");

		TestEvents.publish(Queues.PAYMENT_COMMANDS.name(), orderId,
				RefundPayment.newBuilder().setOrderId(orderId).build());
		await().atMost(Duration.ofSeconds(30)).until(() -> "REFUNDED".equals(status(orderId)));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(replies(orderId)).filteredOn(StepReply::getCompensation)
				.singleElement()
				.satisfies((r) -> assertThat(r.getSucceeded()).isTrue()));
		assertThat(ledger(orderId)).containsExactly("CHARGE 1999 approved", "REFUND 1999 approved");
	}

	@Test
	void commandsOnTheCommandStreamAreAnsweredAsQueuedOnesAre() {
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Topics.PAYMENT_COMMAND_STREAM, orderId, charge(orderId, "tok_chargeDeclined"));
		TestEvents.publish(Topics.PAYMENT_COMMAND_STREAM, orderId,
				RefundPayment.newBuilder().setOrderId(orderId).build());

		// Taken in the order sent: the refund finds the declined charge, voids nothing.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(replies(orderId)).hasSize(2).satisfiesExactly((charged) -> {
				assertThat(charged.getCompensation()).isFalse();
				assertThat(charged.getSucceeded()).isFalse();
				assertThat(charged.getReason()).isEqualTo("card declined");
			}, (refunded) -> {
				assertThat(refunded.getCompensation()).isTrue();
				assertThat(refunded.getSucceeded()).isTrue();
			}));
		assertThat(status(orderId)).isEqualTo("DECLINED");
		assertThat(ledger(orderId)).containsExactly("CHARGE 1999 declined");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void chargesAndRefundsOverGrpcWithTheAnswersTheQueueWouldSend(CapturedOutput output) {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", GRPC_PORT).usePlaintext().build();
		try {
			PaymentServiceGrpc.PaymentServiceBlockingStub payment = PaymentServiceGrpc.newBlockingStub(channel)
				.withDeadlineAfter(Duration.ofSeconds(30));
			String orderId = UUID.randomUUID().toString();
			StepReply charged = payment.charge(charge(orderId, "tok_visa"));
			assertThat(charged.getOrderId()).isEqualTo(orderId);
			assertThat(charged.getStep()).isEqualTo(SagaStep.CHARGE);
			assertThat(charged.getSucceeded()).isTrue();
			assertThat(charged.getCompensation()).isFalse();
			assertThat(charged.getReference()).isEqualTo(this.jdbc
				.queryForObject("SELECT payment_id FROM payments WHERE order_id = ?", String.class, orderId));
			// Repeated (a retry after a lost answer): the same answer, no second charge.
			assertThat(payment.charge(charge(orderId, "tok_visa"))).isEqualTo(charged);
			assertThat(ledger(orderId)).containsExactly("CHARGE 1999 approved");

			StepReply refunded = payment.refund(RefundPayment.newBuilder().setOrderId(orderId).build());
			assertThat(refunded.getCompensation()).isTrue();
			assertThat(refunded.getSucceeded()).isTrue();
			assertThat(status(orderId)).isEqualTo("REFUNDED");
			assertThat(ledger(orderId)).containsExactly("CHARGE 1999 approved", "REFUND 1999 approved");

			String declined = UUID.randomUUID().toString();
			assertThat(payment.charge(charge(declined, "tok_insufficientFunds"))).satisfies((r) -> {
				assertThat(r.getSucceeded()).isFalse();
				assertThat(r.getReason()).isNotBlank();
			});

			// The lost answer of the test token: charged, but the caller hears an outage.
			String lost = UUID.randomUUID().toString();
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> payment.charge(charge(lost, "tok_noReply")))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
			assertThat(status(lost)).isEqualTo("APPROVED");

			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> payment.charge(charge("", "tok_visa")))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
			assertThat(replies(orderId)).as("answered in the call, not on the reply topic").isEmpty();
			// A line in the order's trace, as a handled command has (switchboard logs
			// --order).
			assertThat(output).contains("Charge of order " + orderId + " called: approved",
					"Refund of order " + orderId + " called: done");
		}
		finally {
			channel.shutdownNow();
		}
	}

	@Test
	void aChargeWhoseTransactionRolledBackAfterTheProviderChargedChargesOnceWhenRedelivered() {
		String orderId = UUID.randomUUID().toString();
		// The provider charged, then the payment's transaction was lost (a crash, a
		// broken connection): no payment row, but money moved.
		this.transactions.executeWithoutResult((status) -> {
			this.payments.charge(orderId, "tok_visa", 1999);
			status.setRollbackOnly();
		});
		assertThat(status(orderId)).isNull();
		assertThat(ledger(orderId)).containsExactly("CHARGE 1999 approved");

		// The command comes again: the provider recognises the order's idempotency key.
		Boolean approved = this.transactions
			.execute((status) -> this.payments.charge(orderId, "tok_visa", 1999).approved());
		assertThat(approved).isTrue();
		assertThat(status(orderId)).isEqualTo("APPROVED");
		assertThat(ledger(orderId)).containsExactly("CHARGE 1999 approved");
	}

	@Test
	void theInternalListingComesInBoundedPagesInOrderIdOrder(
			@org.springframework.boot.test.web.server.LocalServerPort int port) throws Exception {
		String prefix = "page-" + UUID.randomUUID();
		for (String suffix : java.util.List.of("c", "a", "b")) {
			this.transactions.executeWithoutResult((status) -> this.payments.charge(prefix + suffix, "tok_visa", 100));
		}
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> send = (query, token) -> {
			java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest
				.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/internal/payments?" + query));
			if (token != null) {
				request.header("Authorization", "Bearer " + token);
			}
			try {
				return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		};
		java.util.function.Function<String, String> get = (query) -> send.apply(query, "s3cret").body();

		// An operator endpoint: the admin token or nothing.
		assertThat(send.apply("limit=2", null).statusCode()).isEqualTo(401);
		java.net.http.HttpResponse<String> guessed = send.apply("limit=2", "guess");
		assertThat(guessed.statusCode()).isEqualTo(401);
		assertThat(guessed.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"switchboard-admin\"");
		assertThat(guessed.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(guessed.body()).doesNotContain(prefix);

		// The page after the key just before ours holds our three, in key order, two at a
		// time.
		String first = get.apply("limit=2&after=" + prefix);
		assertThat(first).contains(prefix + "a").contains(prefix + "b").doesNotContain(prefix + "c");
		assertThat(first.indexOf(prefix + "a")).isLessThan(first.indexOf(prefix + "b"));
		String second = get.apply("limit=2&after=" + prefix + "b");
		assertThat(second).contains(prefix + "c").doesNotContain(prefix + "a");
		// A limit beyond the bound is held to it rather than refused or obeyed.
		assertThat(get.apply("limit=1000000&after=" + prefix)).contains(prefix + "c");
	}

	private java.util.List<String> ledger(String orderId) {
		return this.jdbc.queryForList(
				"SELECT kind || ' ' || amount_cents || ' ' || CASE WHEN approved THEN 'approved' ELSE 'declined' END"
						+ " FROM provider_ledger WHERE order_id = ? ORDER BY id",
				String.class, orderId);
	}

	@Test
	void theNoReplyTokenChargesWithoutAnsweringAndItsRefundIsAnswered() {
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Queues.PAYMENT_COMMANDS.name(), orderId, charge(orderId, "tok_noReply"));
		await().atMost(Duration.ofSeconds(30)).until(() -> "APPROVED".equals(status(orderId)));

		TestEvents.publish(Queues.PAYMENT_COMMANDS.name(), orderId,
				RefundPayment.newBuilder().setOrderId(orderId).build());

		await().atMost(Duration.ofSeconds(30)).until(() -> "REFUNDED".equals(status(orderId)));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(replies(orderId)).singleElement()
				.satisfies((r) -> assertThat(r.getCompensation()).isTrue()));
	}

	@Test
	void aRefundBeforeTheChargeVoidsTheOrderSoTheLateChargeIsRefused() {
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Queues.PAYMENT_COMMANDS.name(), orderId,
				RefundPayment.newBuilder().setOrderId(orderId).build());
		// A work queue keeps no order between one order's commands: the charge is sent
		// once the refund took effect, as if it had been overtaken.
		await().atMost(Duration.ofSeconds(30)).until(() -> "VOIDED".equals(status(orderId)));
		TestEvents.publish(Queues.PAYMENT_COMMANDS.name(), orderId, charge(orderId, "tok_visa"));

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(replies(orderId)).hasSize(2)
				.filteredOn((r) -> !r.getCompensation())
				.singleElement()
				.satisfies((r) -> {
					assertThat(r.getSucceeded()).isFalse();
					assertThat(r.getReason()).contains("cancelled");
				}));
		assertThat(status(orderId)).isEqualTo("VOIDED");
		// Refused before the provider was asked: no money moved, so none is owed back.
		assertThat(ledger(orderId)).isEmpty();
	}

}
