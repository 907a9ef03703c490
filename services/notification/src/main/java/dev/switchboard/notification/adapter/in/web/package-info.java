/** Driving adapter of the notification service: HTTP calls into its use cases. */
package dev.switchboard.notification.adapter.in.web;
