package dev.switchboard.order.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IncludedTaxTest {

	@Test
	void aGermanTotalIncludesNineteenPercentVat() {
		assertThat(IncludedTax.of("DE", 11_900)).containsExactly(new IncludedTax("VAT", 1900, 1900));
	}

	@Test
	void roundsHalfUpToTheCent() {
		// 1000 * 2000 / 12000 = 166.67
		assertThat(IncludedTax.of("FR", 1000)).containsExactly(new IncludedTax("VAT", 2000, 167));
	}

	@Test
	void aUsTotalIncludesNoTax() {
		assertThat(IncludedTax.of("US", 11_900)).isEmpty();
	}

}
