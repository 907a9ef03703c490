/**
 * The OAuth2 authorization server (Spring Authorization Server): the clients of its
 * configuration obtain short-lived signed JWTs with the client credentials grant; the
 * gateway and the services verify them with the keys it publishes.
 */
package dev.switchboard.identity;
