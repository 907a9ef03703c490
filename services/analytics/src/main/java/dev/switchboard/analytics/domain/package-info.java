/** The analytics domain. Plain Java, no framework. */
package dev.switchboard.analytics.domain;
