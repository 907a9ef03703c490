/** What the payment service's use cases need from outside: storage and other systems. */
package dev.switchboard.payment.application.port.out;
