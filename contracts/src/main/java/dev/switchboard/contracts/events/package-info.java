/** Topic names of the event streams and who writes each. */
package dev.switchboard.contracts.events;
