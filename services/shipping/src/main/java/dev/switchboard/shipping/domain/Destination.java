package dev.switchboard.shipping.domain;

/** Where a choreographed order goes, as its OrderCreated event told. */
public record Destination(String country, String city, String line1, String postalCode) {

}
