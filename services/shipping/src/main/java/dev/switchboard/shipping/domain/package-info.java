/** The shipping domain. Plain Java, no framework. */
package dev.switchboard.shipping.domain;
