/**
 * The scheduled job that applies each service's retention rules.
 */
package dev.switchboard.platform.internal.retention;
