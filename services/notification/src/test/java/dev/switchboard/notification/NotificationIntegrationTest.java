package dev.switchboard.notification;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.events.v1.OrderCancelled;
import dev.switchboard.contracts.events.v1.OrderCompleted;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.contracts.notification.v1.SendEmail;
import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.contracts.queues.Queues;
import dev.switchboard.embedded.FreePorts;
import dev.switchboard.embedded.MailSink;
import dev.switchboard.notification.application.port.in.FindNotificationsUseCase;
import dev.switchboard.notification.domain.Notification;
import dev.switchboard.testing.TestEvents;
import dev.switchboard.testing.ServiceIntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ServiceIntegrationTest(service = "notification", topics = Topics.ORDER_EVENTS, properties = "server.port=0")
class NotificationIntegrationTest {

	private static MailSink sink;

	@Autowired
	FindNotificationsUseCase notifications;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
		sink = MailSink.start(Files.createTempDirectory("mail"), FreePorts.next());
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", sink::port);
	}

	@AfterAll
	static void stopSink() {
		sink.close();
	}

	private static List<String> mailsAbout(String orderId) throws IOException {
		try (var files = Files.list(sink.directory())) {
			return files.map((f) -> {
				try {
					return Files.readString(f);
				}
				catch (IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}).filter((m) -> m.contains(orderId)).toList();
		}
	}

	@Test
	void emailsTheCustomerOverSmtpOncePerEvent() throws Exception {
		String orderId = UUID.randomUUID().toString();
		OrderCreated created = OrderCreated.newBuilder()
			.setOrderId(orderId)
			.setCustomerId("c-42")
			.setTotalCents(1999)
			.build();
		String eventId = TestEvents.publish(Topics.ORDER_EVENTS, orderId, created);
		TestEvents.publish(Topics.ORDER_EVENTS, orderId, created, eventId);
		TestEvents.publish(Topics.ORDER_EVENTS, orderId,
				OrderCancelled.newBuilder()
					.setOrderId(orderId)
					.setCustomerId("c-42")
					.setReason("card declined")
					.build());

		await().atMost(Duration.ofSeconds(30)).until(() -> this.notifications.forOrder(orderId).size() == 2);
		assertThat(this.notifications.forOrder(orderId)).extracting(Notification::kind)
			.containsExactlyInAnyOrder("ORDER_RECEIVED", "ORDER_CANCELLED");
		assertThat(this.notifications.forOrders(List.of("no-such-order", orderId)))
			.as("several orders' in one read, as the gateway's GraphQL asks")
			.extracting(Notification::orderId)
			.containsExactly(orderId, orderId);
		await().atMost(Duration.ofSeconds(30)).until(() -> mailsAbout(orderId).size() == 2);
		assertThat(String.join("\n", mailsAbout(orderId))).contains("To: c-42@customers.switchboard.test")
			.contains("19.99")
			.contains("card declined");
	}

	@Test
	void aCompletedOrderGetsItsShippingEmailAtTransactionalPriorityAndRecommendationsAsExpiringMarketing()
			throws Exception {
		String orderId = UUID.randomUUID().toString();
		TestEvents.publish(Topics.ORDER_EVENTS, orderId,
				OrderCompleted.newBuilder().setOrderId(orderId).setCustomerId("c-7").setShipmentId("s-1").build());

		await().atMost(Duration.ofSeconds(30)).until(() -> this.notifications.forOrder(orderId).size() == 2);
		assertThat(this.notifications.forOrder(orderId)).extracting(Notification::kind)
			.containsExactlyInAnyOrder("ORDER_SHIPPED", "RECOMMENDATIONS");
		// On the Kafka binding each priority level is a topic of its own.
		QueueSpec queue = Queues.NOTIFICATION_EMAILS;
		assertThat(TestEvents.read(queue.name() + ".p" + Queues.TRANSACTIONAL, orderId, SendEmail.getDefaultInstance()))
			.extracting(SendEmail::getKind)
			.containsExactly("ORDER_SHIPPED");
		List<ConsumerRecord<String, byte[]>> marketing = TestEvents.records(queue.name())
			.stream()
			.filter((r) -> orderId.equals(r.key()))
			.toList();
		assertThat(marketing).singleElement().satisfies((r) -> {
			assertThat(SendEmail.parseFrom(r.value()).getKind()).isEqualTo("RECOMMENDATIONS");
			Instant expiresAt = Instant.parse(new String(r.headers().lastHeader("expires-at").value()));
			assertThat(expiresAt).isAfter(Instant.now().plus(Duration.ofHours(23)));
		});
	}

}
