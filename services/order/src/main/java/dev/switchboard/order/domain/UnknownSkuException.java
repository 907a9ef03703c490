package dev.switchboard.order.domain;

public class UnknownSkuException extends RuntimeException {

	public UnknownSkuException(String message) {
		super(message);
	}

}
