/** What the shipping service's use cases need from outside: storage and other systems. */
package dev.switchboard.shipping.application.port.out;
