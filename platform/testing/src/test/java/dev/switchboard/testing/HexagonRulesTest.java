package dev.switchboard.testing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HexagonRulesTest {

	@Test
	void codeThatUsesThePlatformsInternalsBreaksTheApiRule() {
		// The platform's own API classes are built on its internals: the rule must see
		// it.
		assertThatThrownBy(() -> HexagonRules.usesOnlyThePlatformApi("dev.switchboard.platform.messaging"))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("dev.switchboard.platform.internal");
	}

	@Test
	void codeThatUsesOnlyTheApiKeepsIt() {
		assertThatCode(() -> HexagonRules.usesOnlyThePlatformApi("dev.switchboard.platform.saga"))
			.doesNotThrowAnyException();
	}

}
