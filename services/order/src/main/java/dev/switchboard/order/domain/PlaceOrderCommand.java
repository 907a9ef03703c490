package dev.switchboard.order.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A customer's request to place an order. Lines of the same SKU are merged and sorted, so
 * two requests that mean the same order have the same {@link #fingerprint()}.
 *
 * @param idempotencyKey the client's key for safe retries, if it sent one
 */
public record PlaceOrderCommand(Optional<String> idempotencyKey, String customerId, List<Item> items,
		String paymentToken, ShippingAddress shippingAddress) {

	public static final int MAX_ITEMS = 50;

	public static final int MAX_KEY_LENGTH = 255;

	public PlaceOrderCommand {
		idempotencyKey = (idempotencyKey != null) ? idempotencyKey.filter((k) -> !k.isEmpty()) : Optional.empty();
		idempotencyKey.ifPresent((key) -> Text.requireVisibleAscii(key, "Idempotency-Key", MAX_KEY_LENGTH));
		Text.require(customerId, "customerId", 100);
		if (items == null || items.isEmpty() || items.size() > MAX_ITEMS) {
			throw new InvalidOrderException("items must hold 1 to " + MAX_ITEMS + " lines");
		}
		Text.require(paymentToken, "paymentToken", 100);
		if (shippingAddress == null) {
			throw new InvalidOrderException("shippingAddress is required");
		}
		Map<String, Integer> bySku = new TreeMap<>();
		for (Item item : items) {
			if (item == null) {
				throw new InvalidOrderException("items must not contain null");
			}
			bySku.merge(item.sku(), item.quantity(), Integer::sum);
		}
		items = bySku.entrySet().stream().map((e) -> new Item(e.getKey(), e.getValue())).toList();
	}

	/**
	 * The idempotency key as this customer's: keys are scoped per customer, so two
	 * customers who happen to choose the same key place two orders. The key holds no
	 * space (it is visible ASCII), so the first space ends it.
	 */
	public Optional<String> scopedKey() {
		return this.idempotencyKey.map((key) -> key + " " + this.customerId);
	}

	/**
	 * A digest of everything that defines the order, to tell a retry from a different
	 * request.
	 */
	public String fingerprint() {
		StringBuilder canonical = new StringBuilder().append(this.customerId).append('\n');
		this.items.forEach((i) -> canonical.append(i.sku()).append('=').append(i.quantity()).append('\n'));
		canonical.append(this.paymentToken).append('\n').append(this.shippingAddress);
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256")
					.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A SKU and how many units of it. */
	public record Item(String sku, int quantity) {

		public Item {
			new OrderLine(sku, quantity, 0);
		}

	}

}
