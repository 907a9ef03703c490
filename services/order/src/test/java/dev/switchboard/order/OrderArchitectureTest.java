package dev.switchboard.order;

import org.junit.jupiter.api.Test;

import dev.switchboard.testing.HexagonRules;

class OrderArchitectureTest {

	@Test
	void domainIsPlainJavaAndUseCasesOnlyUsePorts() {
		HexagonRules.check("dev.switchboard.order");
	}

}
