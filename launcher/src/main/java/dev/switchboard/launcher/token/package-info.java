/**
 * {@code switchboard token}: an access token from the platform's token endpoint.
 */
package dev.switchboard.launcher.token;
