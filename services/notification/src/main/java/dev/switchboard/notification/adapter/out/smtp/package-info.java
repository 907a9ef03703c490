/** Driven adapter of the notification service: its ports implemented with SMTP. */
package dev.switchboard.notification.adapter.out.smtp;
