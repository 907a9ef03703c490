/**
 * What the notification service's use cases need from outside: storage and other systems.
 */
package dev.switchboard.notification.application.port.out;
