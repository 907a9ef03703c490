package dev.switchboard.gateway.webhooks;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.switchboard.gateway.web.UpstreamException;
import dev.switchboard.platform.resilience.Edge;
import dev.switchboard.platform.resilience.Edges;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * A customer's webhooks: a URL their order events are POSTed to, signed as Standard
 * Webhooks define (the secret is shown once, in the answer to the registration). The
 * notification service keeps and delivers them; the token's subject is the customer.
 */
@Tag(name = "webhooks", description = "The caller's webhooks for their order events")
@RestController
class WebhooksController {

	private final RestClient notifications;

	private final Edge edge;

	WebhooksController(@Qualifier("notificationClient") RestClient notifications, Edges edges) {
		this.notifications = notifications;
		this.edge = edges.edge("notification");
	}

	@PostMapping(path = { "/api/v1/webhooks", "/api/v2/webhooks" }, consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Registers a webhook for the caller's order events",
			description = "Events: order.created, order.completed, order.cancelled. Each delivery is a POST of "
					+ "{\"type\",\"timestamp\",\"data\"} with the headers webhook-id (the same on every attempt: "
					+ "drop repeats by it), webhook-timestamp and webhook-signature (v1,<base64 HMAC-SHA256 of "
					+ "id.timestamp.body, keyed with the secret's bytes after whsec_>). An order's deliveries "
					+ "arrive in order; one the receiver does not answer with 2xx is retried with backoff for "
					+ "30 s and then dead-lettered.",
			security = @SecurityRequirement(name = "oauth2", scopes = "orders:read"))
	@ApiResponse(responseCode = "201", description = "Registered; the secret is not shown again")
	@ApiResponse(responseCode = "400", description = "Not an http(s) URL, or no or unknown events")
	ResponseEntity<Registered> register(@AuthenticationPrincipal Jwt caller, @Valid @RequestBody Registration body) {
		Registered registered;
		try {
			registered = this.edge.call(false,
					(deadline) -> this.notifications.post()
						.uri("/webhooks")
						.contentType(MediaType.APPLICATION_JSON)
						.body(Map.of("customerId", caller.getSubject(), "url", body.url(), "events", body.events()))
						.retrieve()
						.body(Registered.class));
		}
		catch (HttpClientErrorException.BadRequest ex) {
			throw new UpstreamException(HttpStatus.BAD_REQUEST, "Bad Request", detail(ex));
		}
		return ResponseEntity.created(URI.create("/api/v1/webhooks/" + registered.id())).body(registered);
	}

	@DeleteMapping({ "/api/v1/webhooks/{webhookId}", "/api/v2/webhooks/{webhookId}" })
	@Operation(summary = "Deletes one of the caller's webhooks: nothing more is delivered to it",
			security = @SecurityRequirement(name = "oauth2", scopes = "orders:read"))
	@ApiResponse(responseCode = "204", description = "Deleted")
	@ApiResponse(responseCode = "404", description = "The caller has no webhook with this id")
	ResponseEntity<Void> delete(@AuthenticationPrincipal Jwt caller, @PathVariable String webhookId) {
		try {
			this.edge.call(true, (deadline) -> this.notifications.delete()
				.uri((uri) -> uri.path("/webhooks/{id}").queryParam("customerId", caller.getSubject()).build(webhookId))
				.retrieve()
				.toBodilessEntity());
		}
		catch (HttpClientErrorException.NotFound ex) {
			throw new UpstreamException(HttpStatus.NOT_FOUND, "Not Found", "no webhook " + webhookId);
		}
		return ResponseEntity.noContent().build();
	}

	private static String detail(HttpClientErrorException ex) {
		ProblemDetail problem = ex.getResponseBodyAs(ProblemDetail.class);
		return (problem != null && problem.getDetail() != null) ? problem.getDetail() : "the webhook was refused";
	}

	/** {@code events}: order.created, order.completed, order.cancelled. */
	record Registration(@NotBlank @Size(max = 2000) String url,
			@NotEmpty @Size(max = 3) List<@NotNull @NotBlank String> events) {
	}

	/** The webhook, with its signing secret (shown this once). */
	record Registered(String id, String secret, String url, List<String> events) {
	}

}
