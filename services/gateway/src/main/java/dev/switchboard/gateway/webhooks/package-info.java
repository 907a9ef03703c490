/**
 * Customers' webhooks: registered and deleted here, delivered by the notification
 * service.
 */
package dev.switchboard.gateway.webhooks;
