/**
 * Settings every service gets by default, set before the service's own configuration is
 * read.
 */
package dev.switchboard.platform.internal.defaults;
