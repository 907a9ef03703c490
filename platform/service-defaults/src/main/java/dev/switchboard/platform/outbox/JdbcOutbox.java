package dev.switchboard.platform.outbox;

import java.util.UUID;

import com.google.protobuf.Message;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class JdbcOutbox implements Outbox {

	private final JdbcTemplate jdbc;

	private final OutboxRelay relay;

	JdbcOutbox(JdbcTemplate jdbc, OutboxRelay relay) {
		this.jdbc = jdbc;
		this.relay = relay;
	}

	@Override
	public void add(String topic, String key, Message event) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("Outbox.add must run inside the transaction that changes the state it announces");
		}
		this.jdbc.update("INSERT INTO platform.outbox (id, topic, record_key, type, payload) VALUES (?, ?, ?, ?, ?)",
				UUID.randomUUID(), topic, key, event.getDescriptorForType().getFullName(), event.toByteArray());
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				JdbcOutbox.this.relay.wakeUp();
			}
		});
	}

}
