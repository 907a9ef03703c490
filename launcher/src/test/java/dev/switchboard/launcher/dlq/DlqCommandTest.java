package dev.switchboard.launcher.dlq;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.launcher.platform.PlatformRun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class DlqCommandTest {

	@Test
	void readsTheActionTheChannelAndWhereThePlatformIs() {
		DlqCommand.Request request = DlqCommand.Request.parse(List.of("show",
				"switchboard.order.saga-replies.order.saga-replies.dlt", "--limit", "5", "--data-dir", "/tmp/sb"),
				Map.of());

		assertThat(request.action()).isEqualTo("show");
		assertThat(request.channel()).isEqualTo("switchboard.order.saga-replies.order.saga-replies");
		assertThat(request.limit()).isEqualTo(5);
		assertThat(request.dataDir()).isEqualTo(Path.of("/tmp/sb"));
		assertThat(DlqCommand.Request.parse(List.of("list"), Map.of("SWITCHBOARD_DATA_DIR", "/srv/sb")).dataDir())
			.isEqualTo(Path.of("/srv/sb"));
	}

	@Test
	void findsRabbitMQWhereItIsNamedOrWhereTheRunningPlatformSaysAndNowhereElse() throws Exception {
		assertThat(
				DlqCommand.Request.parse(List.of("list", "--rabbitmq", "amqp://u:p@mq:5672"), Map.of()).rabbitmqUri())
			.isEqualTo(URI.create("amqp://u:p@mq:5672"));
		assertThat(DlqCommand.Request.parse(List.of("list"), Map.of("SWITCHBOARD_RABBITMQ", "amqp://env:5672"))
			.rabbitmqUri()).isEqualTo(URI.create("amqp://env:5672"));
		Path dataDir = Files.createTempDirectory("dlq-test");
		DlqCommand.Request request = DlqCommand.Request.parse(List.of("list", "--data-dir", dataDir.toString()),
				Map.of());
		assertThat(request.rabbitmqUri()).isNull();
		Files.createDirectories(dataDir.resolve("run"));
		Files.writeString(PlatformRun.rabbitmqFile(dataDir.resolve("run")), "amqp://guest:guest@127.0.0.1:5672\n");
		assertThat(request.rabbitmqUri()).isEqualTo(URI.create("amqp://guest:guest@127.0.0.1:5672"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DlqCommand.Request.parse(List.of("list", "--rabbitmq", "localhost:5672"), Map.of()))
			.withMessageContaining("amqp://");
	}

	@Test
	void looksForAWorkQueuesDeadLettersOnTheBrokerTheRunningPlatformCarriesItOn() throws Exception {
		Path dataDir = Files.createTempDirectory("dlq-test");
		Files.createDirectories(dataDir.resolve("run"));
		Files.writeString(PlatformRun.queueBindingsFile(dataDir.resolve("run")),
				"switchboard.payment.commands=kafka\nswitchboard.notification.emails=rabbitmq\n");
		DlqCommand.Request platform = DlqCommand.Request.parse(List.of("list", "--data-dir", dataDir.toString()),
				Map.of());

		// Dead letters an earlier run left on RabbitMQ do not hide the ones on Kafka.
		assertThat(DlqCommand.onRabbitMQ(platform, "switchboard.payment.commands", 3)).isFalse();
		assertThat(DlqCommand.onRabbitMQ(platform, "switchboard.notification.emails", 0)).isTrue();
		// A queue the platform binds to RabbitMQ is looked up there even before its DLQ
		// exists.
		assertThat(DlqCommand.onRabbitMQ(platform, "switchboard.notification.emails", -1)).isTrue();

		DlqCommand.Request named = DlqCommand.Request
			.parse(List.of("list", "--data-dir", dataDir.toString(), "--rabbitmq", "amqp://mq:5672"), Map.of());
		assertThat(DlqCommand.onRabbitMQ(named, "switchboard.payment.commands", 3)).isTrue();
		assertThat(DlqCommand.onRabbitMQ(named, "switchboard.payment.commands", -1)).isFalse();

		DlqCommand.Request noPlatform = DlqCommand.Request
			.parse(List.of("list", "--data-dir", "/nonexistent/sb", "--rabbitmq", "amqp://mq:5672"), Map.of());
		assertThat(DlqCommand.onRabbitMQ(noPlatform, "switchboard.payment.commands", 0)).isTrue();
		assertThat(DlqCommand.onRabbitMQ(noPlatform, "switchboard.payment.commands", -1)).isFalse();
	}

	@Test
	void namesAChannelByItsSubscriptionOrQueueWhateverTopicNameItIsGiven() {
		assertThat(KafkaDeadLetters.channelOf("switchboard.order.saga-replies.order.saga-replies.dlt"))
			.isEqualTo("switchboard.order.saga-replies.order.saga-replies");
		assertThat(KafkaDeadLetters.channelOf("dlq.switchboard.payment.commands"))
			.isEqualTo("switchboard.payment.commands");
		assertThat(KafkaDeadLetters.channelOf("switchboard.payment.commands"))
			.isEqualTo("switchboard.payment.commands");
	}

	@Test
	void refusesWhatItCannotDo() {
		assertThatIllegalArgumentException().isThrownBy(() -> DlqCommand.Request.parse(List.of(), Map.of()))
			.withMessageContaining("list, show, replay or purge");
		assertThatIllegalArgumentException().isThrownBy(() -> DlqCommand.Request.parse(List.of("drop", "x"), Map.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> DlqCommand.Request.parse(List.of("replay"), Map.of()))
			.withMessageContaining("CHANNEL");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DlqCommand.Request.parse(List.of("show", "c", "--limit", "0"), Map.of()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DlqCommand.Request.parse(List.of("purge", "c", "--limit", "3"), Map.of()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DlqCommand.Request.parse(List.of("replay", "c", "--limit", "20"), Map.of()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DlqCommand.Request.parse(List.of("list", "--force", "yes"), Map.of()));
	}

	@Test
	void withoutARunningPlatformOrABrokerItSaysSo() throws Exception {
		DlqCommand.Request request = DlqCommand.Request.parse(List.of("list", "--data-dir", "/nonexistent/sb"),
				Map.of());

		assertThatIllegalStateException().isThrownBy(request::kafkaClient)
			.withMessageContaining("no running platform found in /nonexistent/sb");
		assertThat(DlqCommand.Request.parse(List.of("list", "--kafka", "broker:9092"), Map.of()).kafkaClient())
			.isEqualTo(Map.of("bootstrap.servers", "broker:9092"));
	}

}
