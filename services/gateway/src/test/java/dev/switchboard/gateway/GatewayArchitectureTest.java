package dev.switchboard.gateway;

import org.junit.jupiter.api.Test;

import dev.switchboard.testing.HexagonRules;

class GatewayArchitectureTest {

	@Test
	void usesThePlatformThroughItsApiOnly() {
		HexagonRules.usesOnlyThePlatformApi("dev.switchboard.gateway");
	}

}
