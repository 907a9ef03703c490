/** What the order service's use cases need from outside: storage and other systems. */
package dev.switchboard.order.application.port.out;
