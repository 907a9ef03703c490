package dev.switchboard.order.domain;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OrderIdsTest {

	private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	@Test
	void theSameKeyMakesTheSameIdAndOtherKeysOtherIds() {
		OrderIds ids = new OrderIds(SECRET);
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			assertThat(seen.add(ids.forKey("key-" + i))).isTrue();
		}
		assertThat(ids.forKey("key-7")).isEqualTo(new OrderIds(SECRET.clone()).forKey("key-7"));
	}

	@Test
	void withoutTheSecretTheKeyDoesNotTellTheId() {
		String id = new OrderIds(SECRET).forKey("order-1");

		assertThat(id).isNotEqualTo(
				new OrderIds("another secret of 32 characters!".getBytes(StandardCharsets.US_ASCII)).forKey("order-1"));
		assertThat(id)
			.isNotEqualTo(UUID.nameUUIDFromBytes("order:order-1".getBytes(StandardCharsets.UTF_8)).toString());
	}

	@Test
	void derivedIdsAreVersion8UuidsAndOthersRandomVersion4() {
		UUID derived = UUID.fromString(new OrderIds(SECRET).forKey("order-1"));
		assertThat(derived.version()).isEqualTo(8);
		assertThat(derived.variant()).isEqualTo(2);
		assertThat(UUID.fromString(OrderIds.random()).version()).isEqualTo(4);
		assertThat(OrderIds.random()).isNotEqualTo(OrderIds.random());
	}

	@Test
	void aShortSecretIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new OrderIds(new byte[15]));
	}

}
