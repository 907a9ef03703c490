package dev.switchboard.payment;

import org.junit.jupiter.api.Test;

import dev.switchboard.testing.HexagonRules;

class PaymentArchitectureTest {

	@Test
	void domainIsPlainJavaAndUseCasesOnlyUsePorts() {
		HexagonRules.check("dev.switchboard.payment");
	}

}
