package org.turnkey.persistence;

import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.SessionCustomizer;

/**
 * EclipseLink retries a failed read outside a transaction three times, five seconds apart, which
 * parks every request thread for ten seconds while the database is down. The pool already
 * validates connections, so a failure that reaches EclipseLink is an outage: answer 503 at once
 * and let the client retry after {@code Retry-After}.
 */
public class FailFastSessionCustomizer implements SessionCustomizer {

    @Override
    public void customize(Session session) {
        session.getLogin().setQueryRetryAttemptCount(0);
    }
}
