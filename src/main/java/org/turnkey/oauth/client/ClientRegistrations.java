package org.turnkey.oauth.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.token.Tokens;

import java.time.Clock;
import java.util.Optional;

/**
 * Registers clients: {@link ClientRegistrationPolicy} decides, this stores. Identical
 * normalised metadata gets the same {@code client_id} (the spec's de-duplication note), also
 * when two identical registrations race: the digest column is UNIQUE, the loser's insert fails
 * in its own transaction and it answers the winner's row.
 */
@ApplicationScoped
public class ClientRegistrations {

    /** A client ID says what it is; 16 random characters are plenty for a public identifier. */
    static final String PREFIX = "tkclient_";

    private final ClientRegistrationPolicy policy = new ClientRegistrationPolicy();

    @Inject
    OAuthClients clients;

    @Inject
    Clock clock;

    @Inject
    SecurityEvents events;

    public OAuthClient register(String body) {
        ClientRegistrationPolicy.Registration registration = policy.decide(ClientRegistrationPolicy.parse(body));
        Optional<OAuthClient> existing = clients.findByDigest(registration.digest());
        if (existing.isPresent()) {
            return existing.get();
        }
        OAuthClient client = new OAuthClient(PREFIX + Tokens.randomString(12), registration.digest(),
                registration.metadata(), clock.millis());
        try {
            clients.insert(client);
        } catch (RuntimeException e) {
            // Lost a race with an identical registration: its row is the answer. Anything else
            // (the database is down) has no row to find and goes on as the fault it is.
            return clients.findByDigest(registration.digest()).orElseThrow(() -> e);
        }
        events.oauthClientRegistered(client.clientId(), client.applicationType());
        return client;
    }
}
