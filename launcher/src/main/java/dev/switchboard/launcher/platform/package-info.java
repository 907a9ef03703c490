/**
 * A platform as the commands find it: its run directory, its services and their
 * processes, its databases, the delay proxies between services.
 */
package dev.switchboard.launcher.platform;
