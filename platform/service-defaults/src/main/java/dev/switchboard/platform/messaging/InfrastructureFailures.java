package dev.switchboard.platform.messaging;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import org.apache.kafka.common.errors.RetriableException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Which failures of a message's handling say nothing about the message: the database or a
 * broker unreachable, a connection lost, a timeout, a transaction that could not start or
 * whose commit or rollback failed in the database driver. Such a failure lasts as long as
 * the outage does, so the message is retried for as long as it lasts and never
 * dead-lettered for it; only a failure of the message itself uses up the retry budget and
 * ends in a dead-letter topic.
 */
public final class InfrastructureFailures {

	private InfrastructureFailures() {
	}

	public static boolean isInfrastructure(Throwable failure) {
		if (isDataError(failure)) {
			// Whatever wraps it (a commit that failed on a deferred constraint is a
			// TransactionSystemException), bad data fails the same way every time.
			return false;
		}
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
					|| cause instanceof DataAccessResourceFailureException
					|| cause instanceof CannotCreateTransactionException || cause instanceof TransactionSystemException
					|| cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
					|| cause instanceof RetriableException || cause instanceof ConnectException) {
				return true;
			}
			if (cause instanceof SQLException sql && sql.getSQLState() != null && isUnavailable(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a data exception (22) or an integrity violation (23) is among the causes.
	 */
	private static boolean isDataError(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * SQL states of a server that is away or refusing work for now: connection exceptions
	 * (08), insufficient resources (53), operator intervention such as a shutdown (57P).
	 */
	private static boolean isUnavailable(String state) {
		return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P");
	}

}
