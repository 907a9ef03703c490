package dev.switchboard.order.application.port.in;

import java.util.Optional;

import dev.switchboard.order.application.port.out.SagaRepository.StoredSaga;

public interface FindSagaUseCase {

	Optional<StoredSaga> findSaga(String orderId);

}
