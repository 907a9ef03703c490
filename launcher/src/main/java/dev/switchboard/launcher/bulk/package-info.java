/**
 * {@code switchboard import}: changes to many orders from a CSV file, in one
 * client-streaming call.
 */
package dev.switchboard.launcher.bulk;
