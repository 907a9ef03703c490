/**
 * Driven adapter of the notification service: webhook deliveries, POSTed over HTTP to the
 * customers' receivers.
 */
package dev.switchboard.notification.adapter.out.http;
