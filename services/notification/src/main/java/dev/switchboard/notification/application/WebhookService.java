package dev.switchboard.notification.application;

import java.net.URI;
import java.util.List;

import dev.switchboard.notification.application.port.in.DeliverWebhookUseCase;
import dev.switchboard.notification.application.port.in.ManageWebhooksUseCase;
import dev.switchboard.notification.application.port.out.WebhookRepository;
import dev.switchboard.notification.application.port.out.WebhookSender;
import dev.switchboard.notification.domain.Webhook;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
@Transactional
class WebhookService implements ManageWebhooksUseCase, DeliverWebhookUseCase {

	private final WebhookRepository webhooks;

	private final WebhookSender sender;

	WebhookService(WebhookRepository webhooks, WebhookSender sender) {
		this.webhooks = webhooks;
		this.sender = sender;
	}

	@Override
	public Webhook register(String customerId, URI url, List<String> events) {
		Webhook webhook = Webhook.create(customerId, url, events);
		this.webhooks.insert(webhook);
		return webhook;
	}

	@Override
	public boolean delete(String customerId, String webhookId) {
		return this.webhooks.delete(customerId, webhookId);
	}

	@Override
	@Transactional(readOnly = true)
	public List<Webhook> subscribedTo(String customerId, String type) {
		return this.webhooks.findByCustomer(customerId).stream().filter((webhook) -> webhook.wants(type)).toList();
	}

	@Override
	public void deliver(String deliveryId, String webhookId, String payload) {
		this.webhooks.findLive(webhookId).ifPresent((webhook) -> this.sender.send(webhook, deliveryId, payload));
	}

}
