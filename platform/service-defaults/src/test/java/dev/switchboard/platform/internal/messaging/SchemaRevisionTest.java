package dev.switchboard.platform.internal.messaging;

import com.google.protobuf.StringValue;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.platform.messaging.MalformedEventException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaRevisionTest {

	private final SchemaRevision orderCreated = SchemaRevision.of(OrderCreated.getDescriptor());

	@Test
	void comesFromTheProtoOptionsAndTravelsAsAUri() {
		assertThat(this.orderCreated).isEqualTo(new SchemaRevision("switchboard.events.v1.OrderCreated", 2, 1));
		assertThat(this.orderCreated.uri())
			.isEqualTo("urn:switchboard:schema:switchboard.events.v1.OrderCreated:2?readable-from=1");
		assertThat(SchemaRevision.parse(this.orderCreated.uri(), "ignored")).isEqualTo(this.orderCreated);
	}

	@Test
	void aMessageWithoutOptionsOrWithoutTheAttributeIsRevisionOne() {
		assertThat(SchemaRevision.of(StringValue.getDescriptor()))
			.isEqualTo(new SchemaRevision("google.protobuf.StringValue", 1, 1));
		assertThat(SchemaRevision.parse(null, "switchboard.events.v1.OrderCreated"))
			.isEqualTo(new SchemaRevision("switchboard.events.v1.OrderCreated", 1, 1));
	}

	@Test
	void aReaderReadsOlderRevisionsAndNewerOnesThatStayReadableForIt() {
		SchemaRevision reader = new SchemaRevision("switchboard.events.v1.OrderCreated", 2, 1);
		new SchemaRevision("switchboard.events.v1.OrderCreated", 1, 1).requireReadableBy(reader);
		new SchemaRevision("switchboard.events.v1.OrderCreated", 5, 2).requireReadableBy(reader);
	}

	@Test
	void aReaderRefusesARevisionThatNeedsANewerReader() {
		assertThatThrownBy(() -> new SchemaRevision("switchboard.events.v1.OrderCreated", 3, 3)
			.requireReadableBy(this.orderCreated)).isInstanceOf(MalformedEventException.class)
			.hasMessage("switchboard.events.v1.OrderCreated revision 3 needs a reader of revision 3 or later;"
					+ " this consumer is built with revision 2");
	}

	@Test
	void refusesADataschemaThatIsNotOursOrNamesAnotherType() {
		assertThatThrownBy(() -> SchemaRevision.parse("https://example.com/schema.json", "x"))
			.isInstanceOf(MalformedEventException.class);
		assertThatThrownBy(() -> SchemaRevision.parse("urn:switchboard:schema:a.B:2?readable-from=3", "a.B"))
			.isInstanceOf(MalformedEventException.class);
		assertThatThrownBy(() -> new SchemaRevision("switchboard.events.v1.OrderCompleted", 1, 1)
			.requireReadableBy(this.orderCreated)).isInstanceOf(MalformedEventException.class);
	}

}
