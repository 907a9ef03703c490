/** The shipping service's use cases, which reach the outside only through their ports. */
package dev.switchboard.shipping.application;
