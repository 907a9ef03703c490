package dev.switchboard.order.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.order.application.port.in.FindSagaUseCase;
import dev.switchboard.order.application.port.in.TrackSagaUseCase;
import dev.switchboard.order.application.port.in.UpdateOrdersUseCase;
import dev.switchboard.order.application.port.out.OrderEventPublisher;
import dev.switchboard.order.application.port.out.OrderRepository;
import dev.switchboard.order.application.port.out.ParticipantProgress;
import dev.switchboard.order.application.port.out.PaymentCommands;
import dev.switchboard.order.application.port.out.SagaCommands;
import dev.switchboard.order.application.port.out.SagaOutcomes;
import dev.switchboard.order.application.port.out.SagaSpans;
import dev.switchboard.order.application.port.out.SagaRepository;
import dev.switchboard.order.domain.saga.SagaRecord;
import dev.switchboard.order.domain.Order;
import dev.switchboard.order.domain.OrderNotFoundException;
import dev.switchboard.order.domain.OrderStatus;
import dev.switchboard.order.domain.saga.Saga;
import dev.switchboard.order.domain.saga.SagaAction;
import dev.switchboard.order.domain.saga.SagaMode;
import dev.switchboard.order.domain.saga.StepName;
import dev.switchboard.order.domain.saga.StepProgress;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs order sagas: feeds each report or timeout to the order's {@link Saga}, then, in
 * the same transaction, stores it and carries out what it decided: the order's status and
 * events, and in orchestration the next command.
 */
@Service
class SagaService implements TrackSagaUseCase, FindSagaUseCase, UpdateOrdersUseCase {

	private static final Logger log = LoggerFactory.getLogger(SagaService.class);

	private static final int OVERDUE_BATCH = 100;

	private final SagaRepository sagas;

	private final OrderRepository orders;

	private final OrderEventPublisher events;

	private final SagaCommands commands;

	private final PaymentCommands payments;

	private final ParticipantProgress participants;

	private final SagaSettings settings;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final SagaOutcomes outcomes;

	private final SagaSpans spans;

	SagaService(SagaRepository sagas, OrderRepository orders, OrderEventPublisher events, SagaCommands commands,
			PaymentCommands payments, ParticipantProgress participants, SagaSettings settings,
			TransactionTemplate transactions, Clock clock, SagaOutcomes outcomes, SagaSpans spans) {
		this.spans = spans;
		this.sagas = sagas;
		this.orders = orders;
		this.events = events;
		this.commands = commands;
		this.payments = payments;
		this.participants = participants;
		this.settings = settings;
		this.transactions = transactions;
		this.clock = clock;
		this.outcomes = outcomes;
	}

	/**
	 * Starts the saga of a newly placed order; call in the transaction that stores it.
	 */
	void begin(Order order, String paymentToken, Instant reservedAt) {
		Instant now = this.clock.instant();
		Saga saga = Saga.begin(order.id(), this.settings.mode(), reservedAt, now, this.settings.timeouts());
		String created = this.events.created(order, paymentToken, saga.mode());
		log.info("Order {} placed: its saga begins, in {}", order.id(), lower(saga.mode()));
		carryOut(saga, () -> order, saga.firstActions(), paymentToken, created);
		this.sagas.insert(saga, paymentToken, now);
		saga.endedSteps().forEach((step) -> this.spans.ended(saga.orderId(), saga.mode(), step));
	}

	@Override
	public void stepSucceeded(String orderId, StepName step, String reference, String reportId) {
		apply(orderId, (saga) -> saga.stepSucceeded(step, reference, this.clock.instant()), reportId);
	}

	@Override
	public void stepFailed(String orderId, StepName step, String reason) {
		apply(orderId, (saga) -> saga.stepFailed(step, reason, this.clock.instant()), null);
	}

	@Override
	public void compensated(String orderId, StepName step) {
		apply(orderId, (saga) -> saga.compensated(step, this.clock.instant()), null);
	}

	@Override
	public void compensationFailed(String orderId, StepName step, String reason) {
		apply(orderId, (saga) -> saga.compensationFailed(step, reason, this.clock.instant()), null);
	}

	@Override
	public int expireOverdue(Instant answersHeardSince) {
		Instant now = this.clock.instant();
		List<String> overdue = this.transactions.execute((status) -> this.sagas.overdue(now, OVERDUE_BATCH));
		Map<String, Map<StepName, StepProgress>> progress = askParticipants(overdue, now, answersHeardSince);
		int moved = 0;
		for (String orderId : overdue) {
			Boolean done = this.transactions.execute((status) -> {
				Optional<Saga> saga = this.sagas.lockIfFree(orderId, this.settings.timeouts());
				saga.ifPresent((s) -> save(s,
						s.deadlinePassed(this.clock.instant(), progress.getOrDefault(orderId, Map.of())), null));
				return saga.isPresent();
			});
			moved += Boolean.TRUE.equals(done) ? 1 : 0;
		}
		return moved;
	}

	/**
	 * What the participants say of the overdue steps of these sagas: one question per
	 * participant for the whole batch, asked outside any transaction (it waits on the
	 * network, and no saga stays locked meanwhile).
	 */
	private Map<String, Map<StepName, StepProgress>> askParticipants(List<String> orderIds, Instant now,
			Instant answersHeardSince) {
		Map<StepName, Map<String, String>> ordersByTrigger = new EnumMap<>(StepName.class);
		this.transactions
			.executeWithoutResult(
					(status) -> orderIds.forEach(
							(orderId) -> this.sagas.peek(orderId, this.settings.timeouts())
								.ifPresent((saga) -> saga.overdueTriggers(now)
									.forEach((step, trigger) -> ordersByTrigger
										.computeIfAbsent(step, (s) -> new HashMap<>())
										.put(trigger, orderId)))));
		Map<String, Map<StepName, StepProgress>> progress = new HashMap<>();
		ordersByTrigger.forEach((step, orders) -> this.participants.of(step, orders.keySet())
			.forEach((trigger, said) -> progress
				.computeIfAbsent(orders.get(trigger), (o) -> new EnumMap<>(StepName.class))
				.put(step, heardSince(said, answersHeardSince))));
		return progress;
	}

	/**
	 * A step taken before this service could hear its answer is timed as if taken then.
	 */
	private static StepProgress heardSince(StepProgress said, Instant answersHeardSince) {
		return (said instanceof StepProgress.Started started && started.at().isBefore(answersHeardSince))
				? new StepProgress.Started(answersHeardSince) : said;
	}

	@Override
	public Instant nextExpiryCheck() {
		Instant latest = this.clock.instant().plus(this.settings.timeouts().shortest());
		Optional<Instant> earliest = this.transactions.execute((status) -> this.sagas.earliestDeadline());
		return (earliest != null && earliest.isPresent() && earliest.get().isBefore(latest)) ? earliest.get() : latest;
	}

	@Override
	public Optional<SagaRecord> findSaga(String orderId) {
		return this.transactions.execute((status) -> this.sagas.find(orderId, this.settings.timeouts()));
	}

	@Override
	public List<SagaRecord> findSagas(List<String> orderIds) {
		return this.transactions.execute((status) -> orderIds.stream()
			.distinct()
			.map((orderId) -> this.sagas.find(orderId, this.settings.timeouts()))
			.flatMap(Optional::stream)
			.toList());
	}

	@Override
	public void cancel(String orderId, String customerId, String reason) {
		this.transactions.executeWithoutResult((status) -> {
			Saga saga = customersSaga(orderId, customerId);
			save(saga, saga.cancelRequested(reason, this.clock.instant()), null);
			log.info("Order {}: cancellation requested by its customer ({})", orderId, reason);
		});
	}

	@Override
	public void annotate(String orderId, String customerId, String note) {
		this.transactions.executeWithoutResult((status) -> {
			Saga saga = customersSaga(orderId, customerId);
			saga.annotate(note, this.clock.instant());
			this.sagas.update(saga, this.clock.instant());
		});
	}

	/** The saga of the customer's order, locked; not found for another's. */
	private Saga customersSaga(String orderId, String customerId) {
		this.orders.find(orderId)
			.filter((order) -> order.customerId().equals(customerId))
			.orElseThrow(() -> new OrderNotFoundException("no order " + orderId));
		return this.sagas.lock(orderId, this.settings.timeouts())
			.orElseThrow(() -> new OrderNotFoundException("no saga for order " + orderId));
	}

	/** Runs in the caller's (the consumer's) transaction. */
	private void apply(String orderId, Function<Saga, List<SagaAction>> report, String reportId) {
		Saga saga = this.sagas.lock(orderId, this.settings.timeouts())
			.orElseThrow(() -> new OrderNotFoundException("no saga for order " + orderId));
		save(saga, report.apply(saga), reportId);
	}

	private void save(Saga saga, List<SagaAction> actions, String reportId) {
		String token = actions.stream()
			.anyMatch((a) -> a instanceof SagaAction.Execute e && e.step() == StepName.CHARGE)
					? this.sagas.paymentToken(saga.orderId()) : null;
		carryOut(saga, new LoadedOnce(saga.orderId()), actions, token, reportId);
		this.sagas.update(saga, this.clock.instant());
		saga.endedSteps().forEach((step) -> this.spans.ended(saga.orderId(), saga.mode(), step));
	}

	/**
	 * The order of a saga, read from the database the first time an action needs more
	 * than its id (a charge, a shipment, the completed event), at most once: a step that
	 * only moves the status or sends a command by id reads nothing.
	 */
	private final class LoadedOnce implements Supplier<Order> {

		private final String orderId;

		private Order order;

		LoadedOnce(String orderId) {
			this.orderId = orderId;
		}

		@Override
		public Order get() {
			if (this.order == null) {
				this.order = SagaService.this.orders.find(this.orderId).orElseThrow();
			}
			return this.order;
		}

	}

	/**
	 * @param reportId the message that reported what moved the saga: in choreography, the
	 * one the next step's participant acts on
	 */
	private void carryOut(Saga saga, Supplier<Order> order, List<SagaAction> actions, String paymentToken,
			String reportId) {
		String orderId = saga.orderId();
		Instant now = this.clock.instant();
		boolean cancellationRepeated = false;
		for (SagaAction action : actions) {
			switch (action) {
				case SagaAction.Execute execute -> {
					log.info("Order {}: {} started", orderId, lower(execute.step()));
					saga.triggered(execute.step(), (saga.mode() == SagaMode.ORCHESTRATION)
							? execute(execute.step(), orderId, order, paymentToken) : reportId);
				}
				case SagaAction.Compensate compensate -> {
					log.info("Order {}: undoing {} (attempt {})", orderId, lower(compensate.step()),
							compensate.attempt());
					if (saga.mode() == SagaMode.ORCHESTRATION) {
						compensate(compensate.step(), orderId);
					}
					else if (!cancellationRepeated) {
						// Those that confirmed answer again, and change nothing.
						this.events.cancellationRepeated(order.get());
						cancellationRepeated = true;
					}
				}
				case SagaAction.StepSucceeded succeeded -> {
					log.info("Order {}: {} succeeded", orderId, lower(succeeded.step()));
					if (succeeded.step() == StepName.CHARGE) {
						this.orders.transition(orderId, OrderStatus.PENDING, OrderStatus.PAID, null, now);
					}
				}
				case SagaAction.Complete complete -> {
					log.info("Order {} completed", orderId);
					if (this.orders.transition(orderId, OrderStatus.PAID, OrderStatus.COMPLETED, null, now)) {
						this.events.completed(order.get(), saga.step(StepName.SHIP).detail());
						this.outcomes.ended(saga.mode(), OrderStatus.COMPLETED,
								Duration.between(order.get().createdAt(), now));
					}
				}
				case SagaAction.Cancel cancel -> {
					log.info("Order {} cancelled: {}", orderId, cancel.reason());
					boolean moved = this.orders.transition(orderId, OrderStatus.PENDING, OrderStatus.CANCELLED,
							cancel.reason(), now)
							|| this.orders.transition(orderId, OrderStatus.PAID, OrderStatus.CANCELLED, cancel.reason(),
									now);
					if (moved) {
						Order cancelled = this.orders.find(orderId).orElseThrow();
						this.events.cancelled(cancelled, saga.mode());
						this.outcomes.ended(saga.mode(), OrderStatus.CANCELLED,
								Duration.between(cancelled.createdAt(), now));
					}
					else {
						log.warn("Order {} was not open when its saga cancelled it ({})", orderId, cancel.reason());
					}
				}
			}
		}
	}

	/** Sends the step's command; returns its message id. */
	private String execute(StepName step, String orderId, Supplier<Order> order, String paymentToken) {
		return switch (step) {
			case CHARGE -> this.payments.charge(order.get(), paymentToken);
			case ALLOCATE -> this.commands.allocate(orderId);
			case SHIP -> this.commands.ship(order.get());
			case RESERVE -> throw new IllegalStateException("Stock is reserved synchronously when the order is placed");
		};
	}

	private void compensate(StepName step, String orderId) {
		switch (step) {
			case SHIP -> this.commands.cancelShipment(orderId);
			case ALLOCATE -> this.commands.deallocate(orderId);
			case CHARGE -> this.payments.refund(orderId);
			case RESERVE -> this.commands.release(orderId);
		}
	}

	/** How the log names a step or mode: as the saga API does, in lower case. */
	private static String lower(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

}
