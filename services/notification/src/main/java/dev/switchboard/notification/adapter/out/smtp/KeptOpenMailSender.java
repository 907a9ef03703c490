package dev.switchboard.notification.adapter.out.smtp;

import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * A {@link JavaMailSenderImpl} that keeps its SMTP connection open between messages.
 * Spring's sender connects, greets and quits for every call, which for one email per
 * event was most of this service's cost of sending; neither Spring nor Jakarta Mail pools
 * connections, hence this class.
 *
 * <p>
 * One connection, used by one message at a time. A connection idle for longer than
 * {@link #MAX_IDLE} is replaced before use (servers drop idle clients), and a send that
 * fails on a reused connection is tried once more on a new one, since the server may have
 * closed it in the meantime. Settings are those of the sender it copies.
 */
public class KeptOpenMailSender extends JavaMailSenderImpl implements DisposableBean {

	static final Duration MAX_IDLE = Duration.ofSeconds(10);

	private final ReentrantLock lock = new ReentrantLock();

	private Transport transport;

	private long lastUsed;

	/**
	 * A sender with the settings (host, port, credentials, properties) of
	 * {@code configured}.
	 */
	public static KeptOpenMailSender copyOf(JavaMailSenderImpl configured) {
		KeptOpenMailSender sender = new KeptOpenMailSender();
		sender.setJavaMailProperties(configured.getJavaMailProperties());
		sender.setProtocol(configured.getProtocol());
		sender.setHost(configured.getHost());
		sender.setPort(configured.getPort());
		sender.setUsername(configured.getUsername());
		sender.setPassword(configured.getPassword());
		if (configured.getDefaultEncoding() != null) {
			sender.setDefaultEncoding(configured.getDefaultEncoding());
		}
		return sender;
	}

	@Override
	protected void doSend(MimeMessage[] mimeMessages, Object[] originalMessages) throws MailException {
		Map<Object, Exception> failures = new LinkedHashMap<>();
		this.lock.lock();
		try {
			for (int i = 0; i < mimeMessages.length; i++) {
				try {
					deliver(mimeMessages[i]);
				}
				catch (MessagingException ex) {
					failures.put((originalMessages != null) ? originalMessages[i] : mimeMessages[i], ex);
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		if (!failures.isEmpty()) {
			throw new MailSendException(failures);
		}
	}

	private void deliver(MimeMessage message) throws MessagingException {
		// What Spring's sender does before sending: date it, and keep a Message-ID the
		// caller set, which saveChanges would otherwise replace.
		if (message.getSentDate() == null) {
			message.setSentDate(new Date());
		}
		String messageId = message.getMessageID();
		message.saveChanges();
		if (messageId != null) {
			message.setHeader("Message-ID", messageId);
		}
		Address[] recipients = message.getAllRecipients();
		Address[] to = (recipients != null) ? recipients : new Address[0];
		boolean reused = this.transport != null && System.nanoTime() - this.lastUsed < MAX_IDLE.toNanos();
		if (!reused) {
			reconnect();
		}
		try {
			this.transport.sendMessage(message, to);
		}
		catch (MessagingException ex) {
			closeQuietly();
			if (!reused) {
				throw ex;
			}
			reconnect();
			this.transport.sendMessage(message, to);
		}
		this.lastUsed = System.nanoTime();
	}

	private void reconnect() throws MessagingException {
		closeQuietly();
		this.transport = connectTransport();
	}

	private void closeQuietly() {
		if (this.transport != null) {
			try {
				this.transport.close();
			}
			catch (MessagingException ex) {
				// The connection is being discarded; a failed QUIT changes nothing.
			}
			this.transport = null;
		}
	}

	@Override
	public void destroy() {
		this.lock.lock();
		try {
			closeQuietly();
		}
		finally {
			this.lock.unlock();
		}
	}

}
