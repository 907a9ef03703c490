/** Wiring of the notification service that belongs to no adapter. */
package dev.switchboard.notification.config;
