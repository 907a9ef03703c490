package dev.switchboard.notification.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a delivery as Standard Webhooks defines it: HMAC-SHA256, keyed with
 * the secret's bytes (after {@code whsec_}, base64), of {@code id.timestamp.body},
 * written {@code v1,<base64>}. The timestamp is signed with the body, so a receiver that
 * refuses old timestamps cannot be replayed an old delivery.
 */
public final class WebhookSignature {

	private WebhookSignature() {
	}

	public static String sign(String secret, String deliveryId, long timestampSeconds, String body) {
		String encodedKey = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getDecoder().decode(encodedKey), "HmacSHA256"));
			byte[] signed = mac
				.doFinal((deliveryId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
			return "v1," + Base64.getEncoder().encodeToString(signed);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

}
