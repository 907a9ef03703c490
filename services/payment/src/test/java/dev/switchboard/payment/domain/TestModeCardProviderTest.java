package dev.switchboard.payment.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestModeCardProviderTest {

	private final TestModeCardProvider provider = new TestModeCardProvider();

	@Test
	void visaTestTokenIsApproved() {
		assertThat(this.provider.charge("tok_visa", 100)).isEqualTo(CardDecision.approve());
	}

	@Test
	void noReplyTokenIsApprovedButItsAnswerIsLost() {
		CardDecision decision = this.provider.charge("tok_noReply", 100);

		assertThat(decision.approved()).isTrue();
		assertThat(decision.answerLost()).isTrue();
		assertThat(this.provider.charge("tok_visa", 100).answerLost()).isFalse();
	}

	@Test
	void declineTokensAreDeclinedWithTheirReason() {
		assertThat(this.provider.charge("tok_chargeDeclined", 100)).isEqualTo(CardDecision.decline("card declined"));
		assertThat(this.provider.charge("tok_insufficientFunds", 100))
			.isEqualTo(CardDecision.decline("insufficient funds"));
	}

	@Test
	void unknownTokensAndNonPositiveAmountsAreDeclined() {
		assertThat(this.provider.charge("tok_unknown", 100).approved()).isFalse();
		assertThat(this.provider.charge("tok_visa", 0).approved()).isFalse();
	}

}
