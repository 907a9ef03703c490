package dev.switchboard.gateway.orders;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/v1/orders} and {@code /api/v2/orders}. Validated here for
 * precise field errors; the order service checks the same rules again, as it must not
 * trust its callers. No text may hold a control character ({@code \p{Cc}}: NUL, which
 * PostgreSQL refuses, line breaks and escapes, which forge lines in logs and emails).
 *
 * @param customerId ignored, kept so that bodies written before tokens still parse: an
 * order belongs to the subject of the caller's token
 */
record CreateOrderBody(String customerId, @NotEmpty @Size(max = 50) List<@NotNull @Valid Item> items,
		@NotBlank @Size(max = 100) @Pattern(regexp = TEXT, message = NO_CONTROL) String paymentToken,
		@NotNull @Valid Address shippingAddress) {

	static final String TEXT = "[^\\p{Cc}]*";

	static final String NO_CONTROL = "must not contain control characters";

	record Item(@NotBlank @Size(max = 64) @Pattern(regexp = TEXT, message = NO_CONTROL) String sku,
			@NotNull @Min(1) @Max(1000) Integer quantity) {
	}

	record Address(
			@NotBlank @Pattern(regexp = "[A-Z]{2}",
					message = "must be a two-letter upper-case country code") String country,
			@NotBlank @Size(max = 200) @Pattern(regexp = TEXT, message = NO_CONTROL) String city,
			@NotBlank @Size(max = 200) @Pattern(regexp = TEXT, message = NO_CONTROL) String line1,
			@NotBlank @Size(max = 20) @Pattern(regexp = TEXT, message = NO_CONTROL) String postalCode) {
	}

}
