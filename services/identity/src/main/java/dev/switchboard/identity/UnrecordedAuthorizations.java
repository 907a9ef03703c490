package dev.switchboard.identity;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps no record of the tokens issued. Every token is a self-contained signed JWT that
 * its readers verify with the published keys, and the client credentials grant has
 * nothing to resume, so a record would serve only introspection and revocation, which
 * this server does not offer (both answer "inactive"). The default in-memory store keeps
 * every token issued until the process ends: its memory would grow with each token
 * request, and with a flood of them.
 */
final class UnrecordedAuthorizations implements OAuth2AuthorizationService {

	@Override
	public void save(OAuth2Authorization authorization) {
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return null;
	}

	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		return null;
	}

}
