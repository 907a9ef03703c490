package dev.switchboard.platform.transaction;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs something once the current transaction has committed: a meter or a span that must
 * count what happened once, when a transaction that rolls back is tried again.
 */
public final class AfterCommit {

	private AfterCommit() {
	}

	/**
	 * Runs {@code action} after the current transaction commits, never if it rolls back;
	 * at once outside any transaction.
	 */
	public static void run(Runnable action) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					action.run();
				}
			});
		}
		else {
			action.run();
		}
	}

}
