package dev.switchboard.inventory;

import org.junit.jupiter.api.Test;

import dev.switchboard.testing.HexagonRules;

class InventoryArchitectureTest {

	@Test
	void domainIsPlainJavaAndUseCasesOnlyUsePorts() {
		HexagonRules.check("dev.switchboard.inventory");
	}

}
