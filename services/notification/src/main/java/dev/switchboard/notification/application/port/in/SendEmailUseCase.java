package dev.switchboard.notification.application.port.in;

/** Sends the email of one job of the email queue, once per job. */
public interface SendEmailUseCase {

	/**
	 * @param jobId the email job's id (its queue message id): one email per job
	 */
	void send(String jobId, String orderId, String kind, String recipient, String subject, String body);

}
