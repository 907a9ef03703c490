package dev.switchboard.payment.domain;

/**
 * What the card provider answered to a charge.
 *
 * @param declineReason why it was declined; {@code null} when approved
 */
public record CardDecision(boolean approved, String declineReason) {

	public static CardDecision approve() {
		return new CardDecision(true, null);
	}

	public static CardDecision decline(String reason) {
		return new CardDecision(false, reason);
	}

}
