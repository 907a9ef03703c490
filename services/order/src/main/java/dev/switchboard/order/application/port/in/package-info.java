/** What the order service offers its driving adapters: its use cases. */
package dev.switchboard.order.application.port.in;
