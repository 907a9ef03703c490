package dev.switchboard.order.domain;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.switchboard.order.domain.PlaceOrderCommand.Item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaceOrderCommandTest {

	static final ShippingAddress AUSTIN = new ShippingAddress("US", "Austin", "1 Main St", "78701");

	static PlaceOrderCommand command(List<Item> items, ShippingAddress address) {
		return new PlaceOrderCommand(Optional.of("key"), "c-1", items, "tok_visa", address);
	}

	@Test
	void theSameOrderWrittenDifferentlyHasTheSameFingerprint() {
		PlaceOrderCommand a = command(List.of(new Item("SKU-0002", 1), new Item("SKU-0001", 2)), AUSTIN);
		PlaceOrderCommand b = command(
				List.of(new Item("SKU-0001", 1), new Item("SKU-0002", 1), new Item("SKU-0001", 1)), AUSTIN);

		assertThat(a.items()).containsExactly(new Item("SKU-0001", 2), new Item("SKU-0002", 1));
		assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
	}

	@Test
	void anyDifferenceChangesTheFingerprint() {
		PlaceOrderCommand base = command(List.of(new Item("SKU-0001", 1)), AUSTIN);

		assertThat(command(List.of(new Item("SKU-0001", 2)), AUSTIN).fingerprint()).isNotEqualTo(base.fingerprint());
		assertThat(command(List.of(new Item("SKU-0001", 1)), new ShippingAddress("XX", "Austin", "1 Main St", "78701"))
			.fingerprint()).isNotEqualTo(base.fingerprint());
	}

	@Test
	void rejectsInvalidOrdersWithTheFieldNamed() {
		assertThatThrownBy(() -> command(List.of(), AUSTIN)).isInstanceOf(InvalidOrderException.class)
			.hasMessageContaining("items");
		assertThatThrownBy(() -> command(List.of(new Item("SKU-0001", 0)), AUSTIN))
			.isInstanceOf(InvalidOrderException.class)
			.hasMessageContaining("quantity");
		assertThatThrownBy(() -> new ShippingAddress("usa", "Austin", "1 Main St", "78701"))
			.isInstanceOf(InvalidOrderException.class)
			.hasMessageContaining("country");
		assertThatThrownBy(() -> new PlaceOrderCommand(Optional.empty(), " ", List.of(new Item("SKU-0001", 1)),
				"tok_visa", AUSTIN))
			.isInstanceOf(InvalidOrderException.class)
			.hasMessageContaining("customerId");
		assertThatThrownBy(() -> new ShippingAddress("US", "A".repeat(201), "1 Main St", "78701"))
			.isInstanceOf(InvalidOrderException.class)
			.hasMessageContaining("city");
		assertThatThrownBy(() -> new ShippingAddress("US", "Austin", "1 Main St", "7".repeat(21)))
			.isInstanceOf(InvalidOrderException.class)
			.hasMessageContaining("postalCode");
		assertThatThrownBy(() -> new PlaceOrderCommand(Optional.empty(), "c-1", List.of(new Item("SKU-0001", 1)),
				"t".repeat(101), AUSTIN))
			.isInstanceOf(InvalidOrderException.class)
			.hasMessageContaining("paymentToken");
	}

	@Test
	void refusesControlCharactersInEveryText() {
		List<Item> one = List.of(new Item("SKU-0001", 1));
		for (String bad : List.of("Aus\u0000tin", "Austin\n", "\u001b[31mAustin", "Aus\u007ftin", "Aus\u0085tin")) {
			assertThatThrownBy(() -> new ShippingAddress("US", bad, "1 Main St", "78701"))
				.isInstanceOf(InvalidOrderException.class)
				.hasMessage("shippingAddress.city must not contain control characters");
			assertThatThrownBy(() -> new ShippingAddress("US", "Austin", bad, "78701")).hasMessageContaining("line1");
			assertThatThrownBy(() -> new ShippingAddress("US", "Austin", "1 Main St", bad))
				.hasMessageContaining("postalCode");
			assertThatThrownBy(() -> new PlaceOrderCommand(Optional.empty(), bad, one, "tok_visa", AUSTIN))
				.hasMessageContaining("customerId");
			assertThatThrownBy(() -> new PlaceOrderCommand(Optional.empty(), "c-1", one, bad, AUSTIN))
				.hasMessageContaining("paymentToken");
			assertThatThrownBy(() -> new Item(bad, 1)).hasMessageContaining("sku");
		}
		assertThat(new ShippingAddress("FR", "Saint-Étienne", "2 rue de l’Église", "42000").city())
			.as("letters beyond ASCII are text, not control characters")
			.isEqualTo("Saint-Étienne");
	}

	@Test
	void anIdempotencyKeyIsVisibleAscii() {
		List<Item> one = List.of(new Item("SKU-0001", 1));
		for (String bad : List.of("two words", "tab\tkey", "ключ", "k".repeat(256), " ")) {
			assertThatThrownBy(() -> new PlaceOrderCommand(Optional.of(bad), "c-1", one, "tok_visa", AUSTIN))
				.isInstanceOf(InvalidOrderException.class)
				.hasMessage("Idempotency-Key must be 1 to 255 visible ASCII characters");
		}
		assertThat(new PlaceOrderCommand(Optional.of("order-42_retry.1~"), "c-1", one, "tok_visa", AUSTIN)
			.idempotencyKey()).contains("order-42_retry.1~");
	}

	@Test
	void anEmptyIdempotencyKeyMeansNoKey() {
		assertThat(new PlaceOrderCommand(Optional.of(""), "c-1", List.of(new Item("SKU-0001", 1)), "tok_visa", AUSTIN)
			.idempotencyKey()).isEmpty();
	}

}
