/** Driving adapter of the notification service: work queues calls into its use cases. */
package dev.switchboard.notification.adapter.in.queue;
