/** Test support shared by the services: the architecture rules and test brokers. */
package dev.switchboard.testing;
