/** What the shipping service offers its driving adapters: its use cases. */
package dev.switchboard.shipping.application.port.in;
