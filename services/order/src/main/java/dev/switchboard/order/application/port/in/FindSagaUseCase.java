package dev.switchboard.order.application.port.in;

import java.util.List;
import java.util.Optional;

import dev.switchboard.order.domain.saga.SagaRecord;

public interface FindSagaUseCase {

	Optional<SagaRecord> findSaga(String orderId);

	/**
	 * The sagas of these orders that have one, in one transaction, in the order asked.
	 */
	List<SagaRecord> findSagas(List<String> orderIds);

}
