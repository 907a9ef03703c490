/**
 * Who may use a service's operator endpoints: the admin token.
 */
package dev.switchboard.platform.internal.security;
