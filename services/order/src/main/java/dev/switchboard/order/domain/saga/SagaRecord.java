package dev.switchboard.order.domain.saga;

import java.time.Instant;
import java.util.List;

/** A saga with its whole history and its times, for showing. */
public record SagaRecord(Saga saga, List<SagaEntry> history, Instant createdAt, Instant updatedAt) {

	public SagaRecord {
		history = List.copyOf(history);
	}

}
