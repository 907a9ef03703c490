package dev.switchboard.order.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Order ids no client can guess. An order placed without an Idempotency-Key gets a random
 * UUID (version 4). One placed with a key gets an id derived from the key, the same each
 * time, so that a retry of a request whose answer was lost finds the stock its first
 * attempt reserved under that id; derived with a secret (HMAC-SHA256) rather than from
 * the key alone, so that knowing or guessing someone's key does not tell their order's
 * id. The derived ids are RFC 9562 version 8 (custom) UUIDs.
 *
 * <p>
 * Derived rather than drawn at random and remembered beside the key: remembering it
 * before reserving would add a commit to every keyed order, where the id costs nothing.
 */
public final class OrderIds {

	private static final String ALGORITHM = "HmacSHA256";

	private final SecretKeySpec secret;

	/**
	 * @param secret at least 16 bytes, kept with the orders
	 */
	public OrderIds(byte[] secret) {
		if (secret == null || secret.length < 16) {
			throw new IllegalArgumentException("an order id secret has at least 16 bytes");
		}
		this.secret = new SecretKeySpec(secret, ALGORITHM);
	}

	/** The id of the order placed with {@code idempotencyKey}. */
	public String forKey(String idempotencyKey) {
		byte[] digest;
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.secret);
			digest = mac.doFinal(("order:" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is part of every JDK", ex);
		}
		ByteBuffer bytes = ByteBuffer.wrap(digest, 0, 16);
		long high = (bytes.getLong() & ~0xF000L) | 0x8000L;
		long low = (bytes.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low).toString();
	}

	/** The id of an order placed without a key. */
	public static String random() {
		return UUID.randomUUID().toString();
	}

}
