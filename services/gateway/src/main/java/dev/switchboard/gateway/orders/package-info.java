/** Placing and reading orders, their sagas and notifications. */
package dev.switchboard.gateway.orders;
