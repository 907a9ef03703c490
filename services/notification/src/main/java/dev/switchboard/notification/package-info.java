/** Notification: emails about orders, queued by priority and sent once each. */
package dev.switchboard.notification;
