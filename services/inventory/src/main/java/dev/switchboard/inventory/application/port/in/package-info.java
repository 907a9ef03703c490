/** What the inventory service offers its driving adapters: its use cases. */
package dev.switchboard.inventory.application.port.in;
