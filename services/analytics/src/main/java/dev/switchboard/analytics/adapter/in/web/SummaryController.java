package dev.switchboard.analytics.adapter.in.web;

import java.math.BigDecimal;

import dev.switchboard.analytics.application.port.in.SummarizeOrdersUseCase;
import dev.switchboard.analytics.domain.OrderSummary;
import dev.switchboard.platform.messaging.EventConsumers;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class SummaryController {

	private final SummarizeOrdersUseCase summary;

	private final EventConsumers consumers;

	SummaryController(SummarizeOrdersUseCase summary, EventConsumers consumers) {
		this.summary = summary;
		this.consumers = consumers;
	}

	@GetMapping("/summary")
	SummaryView summary() {
		return SummaryView.of(this.summary.summary());
	}

	/**
	 * Empties the summary and rebuilds it by replaying the order events from the start of
	 * the topic. Returns at once; the totals catch up as the replay proceeds.
	 */
	@PostMapping("/admin/rebuild")
	SummaryView rebuild() {
		this.consumers.replayFromBeginning("summary", this.summary::reset);
		return SummaryView.of(this.summary.summary());
	}

	record SummaryView(long ordersCreated, long ordersCompleted, long ordersCancelled, BigDecimal revenue) {

		static SummaryView of(OrderSummary s) {
			return new SummaryView(s.ordersCreated(), s.ordersCompleted(), s.ordersCancelled(),
					BigDecimal.valueOf(s.revenueCents(), 2));
		}

	}

}
