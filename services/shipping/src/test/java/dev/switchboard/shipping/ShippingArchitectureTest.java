package dev.switchboard.shipping;

import org.junit.jupiter.api.Test;

import dev.switchboard.testing.HexagonRules;

class ShippingArchitectureTest {

	@Test
	void domainIsPlainJavaAndUseCasesOnlyUsePorts() {
		HexagonRules.check("dev.switchboard.shipping");
	}

}
