package dev.switchboard.order.domain;

public class OutOfStockException extends RuntimeException {

	public OutOfStockException(String message) {
		super(message);
	}

}
