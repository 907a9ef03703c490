package dev.switchboard.order.adapter.out.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.switchboard.order.application.port.out.SagaRepository;
import dev.switchboard.order.domain.saga.Saga;
import dev.switchboard.order.domain.saga.SagaEntry;
import dev.switchboard.order.domain.saga.SagaMode;
import dev.switchboard.order.domain.saga.SagaRecord;
import dev.switchboard.order.domain.saga.SagaStatus;
import dev.switchboard.order.domain.saga.SagaStep;
import dev.switchboard.order.domain.saga.SagaTimeouts;
import dev.switchboard.order.domain.saga.StepName;
import dev.switchboard.order.domain.saga.StepState;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
class JdbcSagaRepository implements SagaRepository {

	private final JdbcTemplate jdbc;

	JdbcSagaRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(Saga saga, String paymentToken, Instant now) {
		this.jdbc.update("""
				INSERT INTO sagas (order_id, mode, status, reason, payment_token, deadline, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", saga.orderId(), saga.mode().name(), saga.status().name(),
				saga.reason(), paymentToken, timestamp(saga.deadline().orElse(null)), Timestamp.from(now),
				Timestamp.from(now));
		this.jdbc.batchUpdate("""
				INSERT INTO saga_steps (order_id, step, state, attempts, started_at, ended_at, compensation_attempts,
				                        compensation_started_at, compensation_ended_at, deadline, detail, trigger_id)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
				saga.steps()
					.stream()
					.map((s) -> new Object[] { saga.orderId(), s.name().name(), s.state().name(), s.attempts(),
							timestamp(s.startedAt()), timestamp(s.endedAt()), s.compensationAttempts(),
							timestamp(s.compensationStartedAt()), timestamp(s.compensationEndedAt()),
							timestamp(s.deadline()), s.detail(), s.trigger() })
					.toList());
		appendHistory(saga);
	}

	@Override
	public Optional<Saga> lock(String orderId, SagaTimeouts timeouts) {
		return load(orderId, timeouts, "FOR UPDATE");
	}

	@Override
	public Optional<Saga> lockIfFree(String orderId, SagaTimeouts timeouts) {
		return load(orderId, timeouts, "FOR UPDATE SKIP LOCKED");
	}

	@Override
	public Optional<Saga> peek(String orderId, SagaTimeouts timeouts) {
		return load(orderId, timeouts, "");
	}

	@Override
	public void update(Saga saga, Instant now) {
		this.jdbc.update("UPDATE sagas SET status = ?, reason = ?, deadline = ?, updated_at = ? WHERE order_id = ?",
				saga.status().name(), saga.reason(), timestamp(saga.deadline().orElse(null)), Timestamp.from(now),
				saga.orderId());
		// Only the steps that changed: a reply moves one or two of the four.
		List<SagaStep> changed = saga.changedSteps();
		if (changed.isEmpty()) {
			appendHistory(saga);
			return;
		}
		this.jdbc.batchUpdate("""
				UPDATE saga_steps SET state = ?, attempts = ?, started_at = ?, ended_at = ?, compensation_attempts = ?,
				       compensation_started_at = ?, compensation_ended_at = ?, deadline = ?, detail = ?, trigger_id = ?
				WHERE order_id = ? AND step = ?""", changed.stream()
			.map((s) -> new Object[] { s.state().name(), s.attempts(), timestamp(s.startedAt()), timestamp(s.endedAt()),
					s.compensationAttempts(), timestamp(s.compensationStartedAt()), timestamp(s.compensationEndedAt()),
					timestamp(s.deadline()), s.detail(), s.trigger(), saga.orderId(), s.name().name() })
			.toList());
		appendHistory(saga);
	}

	@Override
	public List<String> overdue(Instant now, int limit) {
		return this.jdbc.queryForList("SELECT order_id FROM sagas WHERE deadline <= ? ORDER BY deadline LIMIT ?",
				String.class, Timestamp.from(now), limit);
	}

	@Override
	public Optional<Instant> earliestDeadline() {
		Timestamp earliest = this.jdbc.queryForObject("SELECT min(deadline) FROM sagas", Timestamp.class);
		return Optional.ofNullable(earliest).map(Timestamp::toInstant);
	}

	@Override
	public int countActive() {
		Integer active = this.jdbc
			.queryForObject("SELECT count(*) FROM sagas WHERE status IN ('RUNNING', 'COMPENSATING')", Integer.class);
		return (active != null) ? active : 0;
	}

	@Override
	public String paymentToken(String orderId) {
		return this.jdbc.queryForObject("SELECT payment_token FROM sagas WHERE order_id = ?", String.class, orderId);
	}

	@Override
	public Optional<SagaRecord> find(String orderId, SagaTimeouts timeouts) {
		Optional<Head> head = head(orderId, timeouts, "");
		if (head.isEmpty()) {
			return Optional.empty();
		}
		List<SagaEntry> history = this.jdbc.query(
				"SELECT at, step, event, detail FROM saga_history WHERE order_id = ? ORDER BY seq",
				(rs, i) -> new SagaEntry(rs.getTimestamp(1).toInstant(),
						rs.getString(2) == null ? null : StepName.valueOf(rs.getString(2)), rs.getString(3),
						rs.getString(4)),
				orderId);
		return Optional.of(new SagaRecord(head.get().saga(), history, head.get().createdAt(), head.get().updatedAt()));
	}

	private Optional<Saga> load(String orderId, SagaTimeouts timeouts, String lock) {
		return head(orderId, timeouts, lock).map(Head::saga);
	}

	/**
	 * The saga row (locked as asked: only the saga's row, as every writer of a saga locks
	 * it first) with its steps, in one round trip.
	 */
	private Optional<Head> head(String orderId, SagaTimeouts timeouts, String lock) {
		record Row(SagaMode mode, SagaStatus status, String reason, Instant createdAt, Instant updatedAt) {
		}
		Row[] row = { null };
		List<SagaStep> steps = new java.util.ArrayList<>();
		this.jdbc.query("""
				SELECT s.mode, s.status, s.reason, s.created_at, s.updated_at,
				       st.step, st.state, st.attempts, st.started_at, st.ended_at, st.compensation_attempts,
				       st.compensation_started_at, st.compensation_ended_at, st.deadline, st.detail, st.trigger_id
				FROM sagas s LEFT JOIN saga_steps st ON st.order_id = s.order_id
				WHERE s.order_id = ?""" + (lock.isEmpty() ? "" : " " + lock.replace("FOR UPDATE", "FOR UPDATE OF s")),
				(rs) -> {
					if (row[0] == null) {
						row[0] = new Row(SagaMode.valueOf(rs.getString(1)), SagaStatus.valueOf(rs.getString(2)),
								rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant());
					}
					if (rs.getString(6) != null) {
						steps.add(new SagaStep(StepName.valueOf(rs.getString(6)), StepState.valueOf(rs.getString(7)),
								rs.getInt(8), instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)), rs.getInt(11),
								instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)),
								instant(rs.getTimestamp(14)), rs.getString(15), rs.getString(16)));
					}
				}, orderId);
		if (row[0] == null) {
			return Optional.empty();
		}
		return Optional
			.of(new Head(Saga.restore(orderId, row[0].mode(), row[0].status(), row[0].reason(), steps, timeouts),
					row[0].createdAt(), row[0].updatedAt()));
	}

	private record Head(Saga saga, Instant createdAt, Instant updatedAt) {
	}

	private void appendHistory(Saga saga) {
		this.jdbc.batchUpdate("INSERT INTO saga_history (order_id, at, step, event, detail) VALUES (?, ?, ?, ?, ?)",
				saga.newEntries()
					.stream()
					.map((e) -> new Object[] { saga.orderId(), Timestamp.from(e.at()),
							e.step() == null ? null : e.step().name(), e.event(), e.detail() })
					.toList());
	}

	private static Timestamp timestamp(Instant instant) {
		return instant == null ? null : Timestamp.from(instant);
	}

	private static Instant instant(Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}

}
