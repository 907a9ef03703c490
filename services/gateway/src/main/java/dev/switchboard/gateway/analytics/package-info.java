/** The analytics summary, read through the gateway. */
package dev.switchboard.gateway.analytics;
