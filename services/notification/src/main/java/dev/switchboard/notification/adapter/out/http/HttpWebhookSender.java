package dev.switchboard.notification.adapter.out.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

import dev.switchboard.notification.application.port.out.WebhookSender;
import dev.switchboard.notification.domain.Webhook;
import dev.switchboard.notification.domain.WebhookSignature;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * POSTs deliveries with the Standard Webhooks headers ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature}); only a 2xx answer counts as
 * delivered, and no redirect is followed. A receiver at a loopback, private or link-local
 * address is refused unless
 * {@code switchboard.notification.webhooks.allow-private-networks} (a URL registered by a
 * customer must not be a way into the platform's own network); {@code ./switchboard up}
 * allows it, its receivers being on the same machine.
 */
@Component
class HttpWebhookSender implements WebhookSender {

	private final HttpClient http;

	private final Duration timeout;

	private final boolean allowPrivateNetworks;

	private final Clock clock;

	HttpWebhookSender(@Value("${switchboard.notification.webhooks.timeout:5s}") Duration timeout,
			@Value("${switchboard.notification.webhooks.allow-private-networks:false}") boolean allowPrivateNetworks) {
		this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
		this.timeout = timeout;
		this.allowPrivateNetworks = allowPrivateNetworks;
		this.clock = Clock.systemUTC();
	}

	@Override
	public void send(Webhook webhook, String deliveryId, String body) {
		URI url = webhook.url();
		if (!this.allowPrivateNetworks) {
			refusePrivate(url);
		}
		long timestamp = this.clock.instant().getEpochSecond();
		HttpRequest request = HttpRequest.newBuilder(url)
			.timeout(this.timeout)
			.header("Content-Type", "application/json")
			.header("User-Agent", "Switchboard-Webhooks/1")
			.header("webhook-id", deliveryId)
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature", WebhookSignature.sign(webhook.secret(), deliveryId, timestamp, body))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		HttpResponse<Void> response;
		try {
			response = this.http.send(request, HttpResponse.BodyHandlers.discarding());
		}
		catch (IOException ex) {
			throw new UndeliveredException(url.getHost() + " did not take delivery " + deliveryId + ": " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new UndeliveredException("interrupted while delivering " + deliveryId);
		}
		if (response.statusCode() / 100 != 2) {
			throw new UndeliveredException(
					url.getHost() + " answered delivery " + deliveryId + " with " + response.statusCode());
		}
	}

	private static void refusePrivate(URI url) {
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(url.getHost());
		}
		catch (UnknownHostException ex) {
			throw new UndeliveredException("cannot resolve " + url.getHost());
		}
		for (InetAddress address : addresses) {
			if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
					|| address.isAnyLocalAddress()) {
				throw new UndeliveredException(url.getHost() + " is a private address (" + address.getHostAddress()
						+ "); switchboard.notification.webhooks.allow-private-networks is off");
			}
		}
	}

}
