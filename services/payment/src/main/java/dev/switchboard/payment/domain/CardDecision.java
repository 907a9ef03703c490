package dev.switchboard.payment.domain;

/**
 * What the card provider answered to a charge.
 *
 * @param declineReason why it was declined; {@code null} when approved
 * @param answerLost whether the answer never reaches the one who asked (test mode only:
 * the charge is made, but the payment service stays silent, so the step times out)
 */
public record CardDecision(boolean approved, String declineReason, boolean answerLost) {

	public static CardDecision approve() {
		return new CardDecision(true, null, false);
	}

	public static CardDecision decline(String reason) {
		return new CardDecision(false, reason, false);
	}

	public static CardDecision approveWithAnswerLost() {
		return new CardDecision(true, null, true);
	}

}
