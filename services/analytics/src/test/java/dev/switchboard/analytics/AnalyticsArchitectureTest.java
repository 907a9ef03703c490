package dev.switchboard.analytics;

import org.junit.jupiter.api.Test;

import dev.switchboard.testing.HexagonRules;

class AnalyticsArchitectureTest {

	@Test
	void domainIsPlainJavaAndUseCasesOnlyUsePorts() {
		HexagonRules.check("dev.switchboard.analytics");
	}

}
