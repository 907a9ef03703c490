/**
 * The order domain: what an order is, how it may move between statuses, and what makes a
 * request to place one valid. Plain Java, no framework.
 */
package dev.switchboard.order.domain;
