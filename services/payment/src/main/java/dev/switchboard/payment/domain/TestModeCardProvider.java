package dev.switchboard.payment.domain;

/**
 * A card provider in test mode, like a real provider's sandbox: the payment token decides
 * the outcome. {@code tok_visa} is approved, {@code tok_chargeDeclined} and
 * {@code tok_insufficientFunds} are declined, and so is any token it does not know.
 * {@code tok_noReply} is approved but its answer is lost: the charge is made and the
 * payment service never answers, which lets one try the saga's charge timeout.
 */
public final class TestModeCardProvider {

	public CardDecision charge(String paymentToken, long amountCents) {
		if (amountCents <= 0) {
			return CardDecision.decline("invalid amount");
		}
		return switch (paymentToken) {
			case "tok_visa" -> CardDecision.approve();
			case "tok_noReply" -> CardDecision.approveWithAnswerLost();
			case "tok_chargeDeclined" -> CardDecision.decline("card declined");
			case "tok_insufficientFunds" -> CardDecision.decline("insufficient funds");
			default -> CardDecision.decline("unknown payment token");
		};
	}

}
