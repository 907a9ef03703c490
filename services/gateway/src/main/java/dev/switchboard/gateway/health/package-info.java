/** What the public port says of the gateway's health: its status alone. */
package dev.switchboard.gateway.health;
