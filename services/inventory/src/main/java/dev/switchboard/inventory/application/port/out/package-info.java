/**
 * What the inventory service's use cases need from outside: storage and other systems.
 */
package dev.switchboard.inventory.application.port.out;
