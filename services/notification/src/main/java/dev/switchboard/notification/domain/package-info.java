/** The notification domain. Plain Java, no framework. */
package dev.switchboard.notification.domain;
