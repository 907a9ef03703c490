/**
 * The analytics service's use cases, which reach the outside only through their ports.
 */
package dev.switchboard.analytics.application;
