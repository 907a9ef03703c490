package dev.switchboard.notification.adapter.in.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import dev.switchboard.notification.application.port.in.ManageWebhooksUseCase;
import dev.switchboard.notification.domain.InvalidWebhookException;
import dev.switchboard.notification.domain.Webhook;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Customers' webhooks, registered and deleted through the gateway (the only caller the
 * access policy lets in), which names the customer: the subject of their token.
 */
@RestController
class WebhooksController {

	private final ManageWebhooksUseCase webhooks;

	WebhooksController(ManageWebhooksUseCase webhooks) {
		this.webhooks = webhooks;
	}

	@PostMapping("/webhooks")
	ResponseEntity<Registered> register(@RequestBody Registration registration) {
		if (registration.customerId() == null || registration.customerId().isBlank() || registration.url() == null
				|| registration.events() == null) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "customerId, url and events are required");
		}
		try {
			Webhook webhook = this.webhooks.register(registration.customerId(), new URI(registration.url()),
					registration.events());
			return ResponseEntity.status(HttpStatus.CREATED)
				.body(new Registered(webhook.id(), webhook.secret(), webhook.url().toString(), webhook.events()));
		}
		catch (URISyntaxException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "url is not a URL: " + ex.getReason());
		}
		catch (InvalidWebhookException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
	}

	@DeleteMapping("/webhooks/{webhookId}")
	ResponseEntity<Void> delete(@PathVariable String webhookId, @RequestParam String customerId) {
		if (!this.webhooks.delete(customerId, webhookId)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no webhook " + webhookId);
		}
		return ResponseEntity.noContent().build();
	}

	record Registration(String customerId, String url, List<String> events) {
	}

	record Registered(String id, String secret, String url, List<String> events) {
	}

}
