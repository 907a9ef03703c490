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
 * The OpenAPI description of reading one of the caller's orders, the same in every
 * version of the route.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Operation(summary = "One of the caller's orders",
		security = @SecurityRequirement(name = "oauth2", scopes = "orders:read"))
@ApiResponse(responseCode = "200",
		description = "The order. Its ETag changes with every change of the order; clients may keep it "
				+ "but must ask again before using it (Cache-Control: private, no-cache)")
@ApiResponse(responseCode = "304", description = "Unchanged since the ETag given in If-None-Match")
@ApiResponse(responseCode = "404", description = "The caller has no order with this id")
@interface ReadingAnOrder {

}
