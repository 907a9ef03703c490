package dev.switchboard.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class DlqCommandTest {

	@Test
	void readsTheActionTheChannelAndWhereThePlatformIs() {
		DlqCommand.Request request = DlqCommand.Request.parse(
				List.of("show", "switchboard.order.saga-replies.order.saga-replies.dlt", "--limit", "5", "--data-dir",
						"/tmp/sb"),
				Map.of());

		assertThat(request.action()).isEqualTo("show");
		assertThat(request.channel()).isEqualTo("switchboard.order.saga-replies.order.saga-replies");
		assertThat(request.limit()).isEqualTo(5);
		assertThat(request.dataDir()).isEqualTo(Path.of("/tmp/sb"));
		assertThat(DlqCommand.Request.parse(List.of("list"), Map.of("SWITCHBOARD_DATA_DIR", "/srv/sb")).dataDir())
			.isEqualTo(Path.of("/srv/sb"));
	}

	@Test
	void namesAChannelByItsSubscriptionOrQueueWhateverTopicNameItIsGiven() {
		assertThat(DlqCommand.channelOf("switchboard.order.saga-replies.order.saga-replies.dlt"))
			.isEqualTo("switchboard.order.saga-replies.order.saga-replies");
		assertThat(DlqCommand.channelOf("dlq.switchboard.payment.commands")).isEqualTo("switchboard.payment.commands");
		assertThat(DlqCommand.channelOf("switchboard.payment.commands")).isEqualTo("switchboard.payment.commands");
	}

	@Test
	void refusesWhatItCannotDo() {
		assertThatIllegalArgumentException().isThrownBy(() -> DlqCommand.Request.parse(List.of(), Map.of()))
			.withMessageContaining("list, show, replay or purge");
		assertThatIllegalArgumentException().isThrownBy(() -> DlqCommand.Request.parse(List.of("drop", "x"), Map.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> DlqCommand.Request.parse(List.of("replay"), Map.of()))
			.withMessageContaining("which channel");
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
	void withoutARunningPlatformOrABrokerItSaysSo() {
		DlqCommand.Request request = DlqCommand.Request.parse(List.of("list", "--data-dir", "/nonexistent/sb"),
				Map.of());

		assertThatIllegalStateException().isThrownBy(request::bootstrapServers)
			.withMessageContaining("no running platform found in /nonexistent/sb");
		assertThat(DlqCommand.Request.parse(List.of("list", "--kafka", "broker:9092"), Map.of()).kafka())
			.isEqualTo("broker:9092");
	}

}
