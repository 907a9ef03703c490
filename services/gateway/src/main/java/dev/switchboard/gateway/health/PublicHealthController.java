package dev.switchboard.gateway.health;

import java.util.Map;

import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /actuator/health} on the public port: the status alone, {@code 200} when up,
 * {@code 503} otherwise, for load balancers and users. The actuator itself (components,
 * details such as disk paths, metrics) is on the management port, on loopback. A
 * controller because a health group's extra path may not be {@code /actuator/health}.
 */
@RestController
class PublicHealthController {

	private final HealthEndpoint health;

	PublicHealthController(HealthEndpoint health) {
		this.health = health;
	}

	@GetMapping("/actuator/health")
	ResponseEntity<Map<String, String>> status() {
		Status status = this.health.health().getStatus();
		return ResponseEntity.status(Status.UP.equals(status) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
			.body(Map.of("status", status.getCode()));
	}

}
