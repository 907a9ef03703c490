/**
 * What a service shows another to be let in: the platform's shared service credential.
 */
package dev.switchboard.platform.security;
