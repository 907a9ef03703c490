/**
 * How event subscriptions run: the inbox, the progress of each partition, the platform's
 * own topics and the schema revisions a service understands.
 */
package dev.switchboard.platform.internal.messaging;
