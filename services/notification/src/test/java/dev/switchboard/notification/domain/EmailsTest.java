package dev.switchboard.notification.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmailsTest {

	@Test
	void customerIdsBecomeSafeAddressesInTheTestDomain() {
		assertThat(Emails.recipient("C-1")).isEqualTo("c-1@customers.switchboard.test");
		assertThat(Emails.recipient("a b<c>")).isEqualTo("a-b-c-@customers.switchboard.test");
	}

	@Test
	void moneyIsShownWithTwoDecimals() {
		assertThat(Emails.money(1999)).isEqualTo("19.99");
		assertThat(Emails.money(5)).isEqualTo("0.05");
	}

}
