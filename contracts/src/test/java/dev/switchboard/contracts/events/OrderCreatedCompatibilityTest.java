package dev.switchboard.contracts.events;

import java.util.Map;
import java.util.TreeMap;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.events.v1.Line;
import dev.switchboard.contracts.events.v1.OrderCreated;
import dev.switchboard.contracts.events.v1.SagaMode;
import dev.switchboard.contracts.events.v1.TaxLine;
import dev.switchboard.contracts.schema.SchemaProto;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OrderCreated revision 2 added currency and tax lines without breaking readers built
 * with revision 1 (docs/messaging.md, "Schema evolution"). A reader of revision 1 is
 * rebuilt here from today's schema minus what revision 2 added, as a service compiled
 * before it would have it.
 */
class OrderCreatedCompatibilityTest {

	/** Revision 1 as it shipped: number to name and type. Never change these. */
	private static final Map<Integer, String> REVISION_1 = new TreeMap<>(
			Map.of(1, "order_id STRING", 2, "customer_id STRING", 3, "lines MESSAGE", 4, "total_cents INT64", 5,
					"payment_token STRING", 6, "shipping_address MESSAGE", 7, "saga_mode ENUM"));

	private final OrderCreated revision2 = OrderCreated.newBuilder()
		.setOrderId("o-1")
		.setCustomerId("c-1")
		.addLines(Line.newBuilder().setSku("SKU-0001").setQuantity(2).setUnitPriceCents(1190))
		.setTotalCents(2380)
		.setPaymentToken("tok_visa")
		.setSagaMode(SagaMode.ORCHESTRATION)
		.setCurrency("EUR")
		.addTaxLines(TaxLine.newBuilder().setName("VAT").setRateBasisPoints(1900).setAmountCents(380))
		.build();

	@Test
	void declaresRevisionTwoReadableByRevisionOne() {
		var options = OrderCreated.getDescriptor().getOptions();
		assertThat(options.getExtension(SchemaProto.revision)).isEqualTo(2);
		assertThat(options.getExtension(SchemaProto.readableFrom)).isEqualTo(1);
	}

	@Test
	void keepsEveryFieldOfRevisionOneWithItsNumberNameAndType() {
		Map<Integer, String> now = new TreeMap<>();
		for (FieldDescriptor field : OrderCreated.getDescriptor().getFields()) {
			if (REVISION_1.containsKey(field.getNumber())) {
				now.put(field.getNumber(), field.getName() + " " + field.getType());
			}
		}
		assertThat(now).isEqualTo(REVISION_1);
	}

	@Test
	void aRevisionOneReaderReadsARevisionTwoEventAndSkipsWhatItDoesNotKnow() throws Exception {
		DynamicMessage read = DynamicMessage.parseFrom(revisionOneReader(), this.revision2.toByteArray());

		assertThat(read.getField(read.getDescriptorForType().findFieldByName("order_id"))).isEqualTo("o-1");
		assertThat(read.getField(read.getDescriptorForType().findFieldByName("total_cents"))).isEqualTo(2380L);
		assertThat(read.getRepeatedFieldCount(read.getDescriptorForType().findFieldByName("lines"))).isEqualTo(1);
		assertThat(read.getDescriptorForType().findFieldByName("currency")).isNull();
		assertThat(read.getUnknownFields().asMap()).containsOnlyKeys(8, 9);
	}

	@Test
	void aRevisionTwoReaderReadsARevisionOneEventWithNoCurrencyAndNoTaxLines() throws Exception {
		DynamicMessage written = DynamicMessage.parseFrom(revisionOneReader(),
				this.revision2.toBuilder().clearCurrency().clearTaxLines().build().toByteArray());

		OrderCreated read = OrderCreated.parseFrom(written.toByteArray());

		assertThat(read.getOrderId()).isEqualTo("o-1");
		assertThat(read.getCurrency()).isEmpty();
		assertThat(read.getTaxLinesList()).isEmpty();
	}

	/** OrderCreated as a service built before revision 2 knows it. */
	private static Descriptor revisionOneReader() throws Exception {
		FileDescriptor today = OrderCreated.getDescriptor().getFile();
		FileDescriptorProto.Builder file = today.toProto().toBuilder();
		for (DescriptorProto.Builder message : file.getMessageTypeBuilderList()) {
			if (message.getName().equals("OrderCreated")) {
				message.clearOptions();
				var kept = message.getFieldList().stream().filter((f) -> f.getNumber() <= 7).toList();
				message.clearField().addAllField(kept);
			}
		}
		return FileDescriptor.buildFrom(file.build(), today.getDependencies().toArray(FileDescriptor[]::new))
			.findMessageTypeByName("OrderCreated");
	}

}
