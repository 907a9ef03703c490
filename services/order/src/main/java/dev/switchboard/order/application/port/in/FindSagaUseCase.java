package dev.switchboard.order.application.port.in;

import java.util.Optional;

import dev.switchboard.order.domain.saga.SagaRecord;

public interface FindSagaUseCase {

	Optional<SagaRecord> findSaga(String orderId);

}
