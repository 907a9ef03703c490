/** Driven adapter of the order service: its ports implemented with HTTP. */
package dev.switchboard.order.adapter.out.http;
