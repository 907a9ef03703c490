package dev.switchboard.launcher.bulk;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import dev.switchboard.contracts.order.v1.OrderChange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImportCommandTest {

	private static List<CSVRecord> records(String csv) throws IOException {
		return CSVFormat.DEFAULT.builder().setTrim(true).get().parse(new StringReader(csv)).getRecords();
	}

	@Test
	void aLineIsACancellationWithItsReasonOrANoteQuotedCommasIncluded() throws IOException {
		List<CSVRecord> lines = records("""
				o-1,cancel,changed my mind
				o-2, CANCEL
				o-3,annotate,"leave it at the door, please"
				""");
		OrderChange cancel = ImportCommand.change(lines.get(0));
		assertThat(cancel.getOrderId()).isEqualTo("o-1");
		assertThat(cancel.getCancel().getReason()).isEqualTo("changed my mind");
		assertThat(ImportCommand.change(lines.get(1)).hasCancel()).isTrue();
		assertThat(ImportCommand.change(lines.get(2)).getAnnotate().getNote())
			.isEqualTo("leave it at the door, please");
	}

	@Test
	void aLineThatIsNoChangeSaysWhy() throws IOException {
		List<CSVRecord> lines = records("""
				o-1,ship
				o-2
				""");
		assertThatThrownBy(() -> ImportCommand.change(lines.get(0))).hasMessageContaining("cancel or annotate");
		assertThatThrownBy(() -> ImportCommand.change(lines.get(1))).hasMessageContaining("ORDER_ID,cancel");
	}

}
