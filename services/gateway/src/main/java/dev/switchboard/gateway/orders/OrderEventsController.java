package dev.switchboard.gateway.orders;

import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.contracts.order.v1.OrderUpdate;
import dev.switchboard.contracts.order.v1.StreamOrderUpdatesRequest;
import dev.switchboard.gateway.web.GrpcErrors;
import dev.switchboard.gateway.web.UpstreamException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * An order's status changes as server-sent events, fed by the order service's
 * {@code StreamOrderUpdates}: one event per change ({@code id}: its seq, {@code event:
 * status}, {@code data}: the order id, status, reason and time), from the first or, with
 * {@code Last-Event-ID}, from after the last one the client had (what a browser's
 * EventSource sends when it reconnects). The stream ends after the order's final status.
 * The order service is read on a virtual thread that blocks while the client is slow to
 * take events, and gRPC's flow control holds the order service back meanwhile: nothing is
 * buffered without bound. A stream that lasts longer than
 * {@code switchboard.gateway.events.max-duration} is ended; the client resumes.
 */
@Tag(name = "orders")
@RestController
class OrderEventsController {

	private static final Logger log = LoggerFactory.getLogger(OrderEventsController.class);

	private final OrderReads reads;

	private final Duration maxDuration;

	private final LiveStreams streams;

	OrderEventsController(OrderReads reads, LiveStreams streams,
			@Value("${switchboard.gateway.events.max-duration:30m}") Duration maxDuration) {
		this.reads = reads;
		this.streams = streams;
		this.maxDuration = maxDuration;
	}

	@GetMapping(path = { "/api/v1/orders/{orderId}/events", "/api/v2/orders/{orderId}/events" },
			produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(summary = "An order's status changes, live (server-sent events)",
			description = "One event per status change: id (resume after it with Last-Event-ID), event: status, "
					+ "data: {orderId, status, reason, at}. Ends after COMPLETED or CANCELLED.",
			security = @SecurityRequirement(name = "oauth2", scopes = "orders:read"))
	@ApiResponse(responseCode = "200", description = "The stream of status changes",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
	@ApiResponse(responseCode = "400", description = "Last-Event-ID is not an id this stream sent")
	@ApiResponse(responseCode = "404", description = "The caller has no order with this id")
	SseEmitter events(@AuthenticationPrincipal Jwt caller, @PathVariable String orderId,
			@Parameter(description = "The id of the last event received: the stream goes on after it") @RequestHeader(
					name = "Last-Event-ID", required = false) String lastEventId) {
		long after = after(lastEventId);
		LiveStreams.Slot slot = this.streams.open(caller.getSubject());
		try {
			return events(caller, orderId, after, slot);
		}
		catch (RuntimeException ex) {
			slot.close();
			throw ex;
		}
	}

	private SseEmitter events(Jwt caller, String orderId, long after, LiveStreams.Slot slot) {
		Context.CancellableContext call = Context.current().withCancellation();
		Iterator<OrderUpdate> updates;
		boolean any;
		Context previous = call.attach();
		try {
			updates = this.reads.as(caller)
				.streamOrderUpdates(
						StreamOrderUpdatesRequest.newBuilder().setOrderId(orderId).setAfterSeq(after).build());
			// The first answer, or the refusal (not the caller's order: 404), before the
			// 200 is committed.
			any = updates.hasNext();
		}
		catch (StatusRuntimeException ex) {
			call.cancel(ex);
			throw GrpcErrors.translate(ex, Map.of(Status.Code.NOT_FOUND, HttpStatus.NOT_FOUND));
		}
		finally {
			call.detach(previous);
		}
		SseEmitter events = new SseEmitter(this.maxDuration.toMillis());
		events.onCompletion(() -> {
			call.cancel(null);
			slot.close();
		});
		events.onTimeout(() -> call.cancel(null));
		events.onError((ex) -> call.cancel(ex));
		if (!any) {
			slot.close();
			events.complete();
			return events;
		}
		Thread.ofVirtual().name("order-events-" + orderId).start(() -> forward(updates, events, call, slot));
		return events;
	}

	/**
	 * Sends every update as it comes; the stream's place is freed before the response
	 * ends, so that the client may open another at once.
	 */
	private static void forward(Iterator<OrderUpdate> updates, SseEmitter events, Context.CancellableContext call,
			LiveStreams.Slot slot) {
		try {
			while (updates.hasNext()) {
				OrderUpdate update = updates.next();
				Map<String, Object> data = new LinkedHashMap<>();
				data.put("orderId", update.getOrderId());
				data.put("status", update.getStatus().name());
				if (!update.getReason().isEmpty()) {
					data.put("reason", update.getReason());
				}
				data.put("at", update.getAt());
				events.send(SseEmitter.event()
					.id(Long.toString(update.getSeq()))
					.name("status")
					.data(data, MediaType.APPLICATION_JSON));
			}
			slot.close();
			events.complete();
		}
		catch (IOException | IllegalStateException ex) {
			// The client left (or the stream timed out): stop reading.
			call.cancel(ex);
		}
		catch (StatusRuntimeException ex) {
			if (ex.getStatus().getCode() != Status.Code.CANCELLED) {
				log.info("An order's event stream ended early: {}", ex.getStatus());
			}
			// Ends the response; the client resumes with Last-Event-ID.
			slot.close();
			events.complete();
		}
	}

	private static long after(String lastEventId) {
		if (lastEventId == null || lastEventId.isBlank()) {
			return 0;
		}
		try {
			long after = Long.parseLong(lastEventId.strip());
			if (after >= 0) {
				return after;
			}
		}
		catch (NumberFormatException ex) {
			// Refused below.
		}
		throw new UpstreamException(HttpStatus.BAD_REQUEST, "Bad Request",
				"Last-Event-ID must be the id of an event of this stream (a number)");
	}

}
