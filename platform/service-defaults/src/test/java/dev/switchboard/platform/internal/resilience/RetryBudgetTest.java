package dev.switchboard.platform.internal.resilience;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryBudgetTest {

	@Test
	void allowsRetriesUntilHalfTheTokensAreSpent() {
		RetryBudget budget = new RetryBudget(10, 0.1);
		for (int i = 0; i < 4; i++) {
			budget.onFailure();
		}
		assertThat(budget.allowsRetry()).isTrue();

		budget.onFailure();

		assertThat(budget.allowsRetry()).isFalse();
		assertThat(budget.tokens()).isEqualTo(5.0);
	}

	@Test
	void successesEarnRetriesBackAtTheRatio() {
		RetryBudget budget = new RetryBudget(10, 0.1);
		for (int i = 0; i < 10; i++) {
			budget.onFailure();
		}
		assertThat(budget.tokens()).isZero();

		for (int i = 0; i < 50; i++) {
			budget.onSuccess();
		}
		assertThat(budget.allowsRetry()).isFalse();

		budget.onSuccess();
		assertThat(budget.allowsRetry()).isTrue();
	}

	@Test
	void neverHoldsMoreThanItsSize() {
		RetryBudget budget = new RetryBudget(10, 0.5);
		for (int i = 0; i < 100; i++) {
			budget.onSuccess();
		}
		assertThat(budget.tokens()).isEqualTo(10.0);
	}

	@Test
	void refusesANonsensicalSize() {
		assertThatThrownBy(() -> new RetryBudget(0, 0.1)).isInstanceOf(IllegalArgumentException.class);
	}

}
