package dev.switchboard.gateway.orders;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;

/**
 * The OpenAPI description of placing an order, the same in every version of the route.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Operation(summary = "Place an order",
		description = "Reserves the stock and starts the order's saga (payment, allocation, shipment); the "
				+ "order is PENDING until the saga ends. With an Idempotency-Key, sending the same request "
				+ "again answers the same order (Idempotent-Replayed: true) and never places a second one.",
		security = @SecurityRequirement(name = "oauth2", scopes = "orders:write"))
@ApiResponse(responseCode = "201", description = "Placed (or, under the same Idempotency-Key, placed before)")
@ApiResponse(responseCode = "400", description = "The body or the Idempotency-Key is not valid")
@ApiResponse(responseCode = "409", description = "Not enough stock for a line")
@ApiResponse(responseCode = "413", description = "The body is larger than the gateway takes (64 KB)")
@ApiResponse(responseCode = "415", description = "The body is not application/json")
@ApiResponse(responseCode = "422",
		description = "A line names an unknown SKU, or the Idempotency-Key was used for another request")
@ApiResponse(responseCode = "504", description = "No answer in time: the order may have been placed. "
		+ "Send the same request with the same Idempotency-Key again to learn its outcome")
@interface PlacingAnOrder {

}
