package dev.switchboard.inventory.domain;

/**
 * A reservation that cannot be allocated (released already, or its stock could not be
 * picked), and why.
 */
public class AllocationRefusedException extends RuntimeException {

	public AllocationRefusedException(String reason) {
		super(reason);
	}

}
