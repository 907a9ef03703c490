/** What the notification service offers its driving adapters: its use cases. */
package dev.switchboard.notification.application.port.in;
