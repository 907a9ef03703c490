/** What the analytics service offers its driving adapters: its use cases. */
package dev.switchboard.analytics.application.port.in;
