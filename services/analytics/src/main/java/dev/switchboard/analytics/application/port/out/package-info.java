/**
 * What the analytics service's use cases need from outside: storage and other systems.
 */
package dev.switchboard.analytics.application.port.out;
