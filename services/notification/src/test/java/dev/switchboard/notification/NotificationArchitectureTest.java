package dev.switchboard.notification;

import org.junit.jupiter.api.Test;

import dev.switchboard.testing.HexagonRules;

class NotificationArchitectureTest {

	@Test
	void domainIsPlainJavaAndUseCasesOnlyUsePorts() {
		HexagonRules.check("dev.switchboard.notification");
	}

}
