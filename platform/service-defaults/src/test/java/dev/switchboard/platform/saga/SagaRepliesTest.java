package dev.switchboard.platform.saga;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.Message;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.Topics;
import dev.switchboard.contracts.queues.QueueSpec;
import dev.switchboard.contracts.saga.v1.SagaStep;
import dev.switchboard.contracts.saga.v1.StepReply;
import dev.switchboard.platform.outbox.Outbox;

import static org.assertj.core.api.Assertions.assertThat;

class SagaRepliesTest {

	private final List<String> keys = new ArrayList<>();

	private final List<StepReply> sent = new ArrayList<>();

	private final SagaReplies replies = new SagaReplies(new Outbox() {

		@Override
		public String add(String topic, String key, Message event) {
			assertThat(topic).isEqualTo(Topics.SAGA_REPLIES);
			SagaRepliesTest.this.keys.add(key);
			SagaRepliesTest.this.sent.add((StepReply) event);
			return "id";
		}

		@Override
		public String enqueue(QueueSpec queue, String subject, Message command, int priority, Duration timeToLive) {
			throw new AssertionError("replies go to the reply topic");
		}

	});

	@Test
	void aStepsOutcomeCarriesItsReferenceAndAReasonOnlyWhenRefused() {
		this.replies.step("o-1", SagaStep.SHIP, true, "ignored", "shp-1");
		this.replies.step("o-2", SagaStep.CHARGE, false, "card declined", "pay-2");

		assertThat(this.keys).containsExactly("o-1", "o-2");
		assertThat(this.sent.get(0)).isEqualTo(StepReply.newBuilder()
			.setOrderId("o-1")
			.setStep(SagaStep.SHIP)
			.setSucceeded(true)
			.setReference("shp-1")
			.build());
		assertThat(this.sent.get(1)).isEqualTo(StepReply.newBuilder()
			.setOrderId("o-2")
			.setStep(SagaStep.CHARGE)
			.setReason("card declined")
			.setReference("pay-2")
			.build());
	}

	@Test
	void compensationsAreMarkedAsSuch() {
		this.replies.compensated("o-1", SagaStep.CHARGE);
		this.replies.compensation("o-1", SagaStep.ALLOCATE, false, "already shipped");
		this.replies.failed("o-1", SagaStep.RESERVE, null);

		assertThat(this.sent).extracting(StepReply::getCompensation, StepReply::getSucceeded, StepReply::getReason)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(true, true, ""),
					org.assertj.core.groups.Tuple.tuple(true, false, "already shipped"),
					org.assertj.core.groups.Tuple.tuple(false, false, ""));
	}

}
