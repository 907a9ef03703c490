/**
 * Who may call the edge: OAuth2 bearer tokens (JWTs from the identity service) with the
 * scopes each route needs, answered in problem+json when missing or short; and the
 * identity service's token endpoint and keys, served through the gateway.
 */
package dev.switchboard.gateway.security;
