package dev.switchboard.platform.internal.fault;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/faults}: inject a fault into this service (PUT), see it (GET), clear it
 * (DELETE). Like every operator endpoint, it needs the admin token
 * ({@code internal.security}), so fault injection is off unless the operator who started
 * the platform turns it on ({@code ./switchboard up} sets a fresh token and
 * {@code ./switchboard fault} uses it).
 */
@RestController
@RequestMapping("/admin/faults")
class FaultController {

	private final FaultInjector faults;

	private final Clock clock;

	FaultController(FaultInjector faults, Clock clock) {
		this.faults = faults;
		this.clock = clock;
	}

	@GetMapping
	Map<String, Object> current() {
		return this.faults.describe();
	}

	@PutMapping
	Map<String, Object> inject(@RequestBody FaultRequest request) {
		Fault fault;
		try {
			fault = request.toFault(this.clock);
		}
		catch (IllegalArgumentException ex) {
			throw problem(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		this.faults.set(fault);
		return this.faults.describe();
	}

	@DeleteMapping
	ResponseEntity<Void> clear() {
		this.faults.clear();
		return ResponseEntity.noContent().build();
	}

	private static ErrorResponseException problem(HttpStatus status, String detail) {
		return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
	}

	/**
	 * @param latencyMs delay added to each matching call
	 * @param latencyRate share of matching calls delayed, 0 to 1 (default 1: every one)
	 * @param errorRate share of matching calls that fail, 0 to 1
	 * @param abort fail every matching call
	 * @param duplicateRate share of event deliveries handed over twice, 0 to 1
	 * @param reorderRate share of event deliveries swapped with the next, 0 to 1
	 * @param route only calls whose gRPC method or HTTP path contains this
	 * @param durationSeconds how long the fault lasts (default 60, at most 3600)
	 */
	record FaultRequest(Long latencyMs, Double latencyRate, Double errorRate, Boolean abort, Double duplicateRate,
			Double reorderRate, String route, Long durationSeconds) {

		Fault toFault(Clock clock) {
			long seconds = (this.durationSeconds != null) ? this.durationSeconds : 60;
			if (seconds <= 0 || seconds > Fault.MAX_DURATION.toSeconds()) {
				throw new IllegalArgumentException(
						"durationSeconds must be between 1 and " + Fault.MAX_DURATION.toSeconds());
			}
			return new Fault(Duration.ofMillis((this.latencyMs != null) ? this.latencyMs : 0),
					(this.latencyRate != null) ? this.latencyRate : 1, (this.errorRate != null) ? this.errorRate : 0,
					Boolean.TRUE.equals(this.abort), (this.duplicateRate != null) ? this.duplicateRate : 0,
					(this.reorderRate != null) ? this.reorderRate : 0, this.route,
					clock.instant().plusSeconds(seconds));
		}

	}

}
