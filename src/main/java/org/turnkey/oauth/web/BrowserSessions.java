package org.turnkey.oauth.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.Transactional;
import org.turnkey.account.User;
import org.turnkey.account.UserStore;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.persistence.ExpiredRows;
import org.turnkey.token.Tokens;

import java.time.Clock;
import java.util.Optional;

/**
 * Browser sign-ins to Turnkey's pages (table {@code browser_sessions}): a second authorisation in
 * the same browser asks for no password until {@code turnkey.oauth.browser-session.lifetime} is
 * over or the user signs out. The cookie holds 256 random bits; the table only their SHA-256, so
 * a database dump signs nobody in. Each sign-in gets a new ID (no session fixation).
 */
@ApplicationScoped
public class BrowserSessions {

    private static final ExpiredRows PURGE = new ExpiredRows("BrowserSession", "expiresTs");

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    OAuthSettings settings;

    @Inject
    Cookies cookies;

    @Inject
    UserStore users;

    @Inject
    Clock clock;

    /** Whether a session expiring at {@code expiresTs} is still valid at {@code now}. */
    public static boolean live(long expiresTs, long now) {
        return now < expiresTs;
    }

    /**
     * The user this browser is signed in as, if its session is live and the account may still
     * sign in (a deactivation or a lock ends every browser session at once).
     */
    public Optional<String> current(HttpServletRequest request) {
        return currentSession(request).map(BrowserSession::userId);
    }

    /** The live session of this browser, as {@link #current}, with when its password was last entered. */
    public Optional<BrowserSession> currentSession(HttpServletRequest request) {
        return cookies.read(request, Cookies.SESSION)
                .map(id -> em.find(BrowserSession.class, Tokens.hash(id)))
                .filter(s -> live(s.expiresTs(), clock.millis()))
                .filter(s -> users.find(s.userId()).filter(BrowserSessions::maySignIn).isPresent());
    }

    /** Records that the password was just entered again in this browser session. */
    @Transactional
    public void reauthenticated(BrowserSession session) {
        BrowserSession row = em.find(BrowserSession.class, session.idHash());
        if (row != null) {
            row.authenticatedTs(clock.millis());
        }
        session.authenticatedTs(clock.millis());
    }

    /** Ends every other browser session of the user (after a password change that signs devices out). */
    @Transactional
    public int endOthers(String userId, String keepIdHash) {
        return em.createQuery("DELETE FROM BrowserSession s WHERE s.userId = :u AND s.idHash <> :keep")
                .setParameter("u", userId).setParameter("keep", keepIdHash).executeUpdate();
    }

    /** Signs the browser in as {@code userId} under a new session ID, ending the one it had. */
    @Transactional
    public void start(HttpServletRequest request, HttpServletResponse response, String userId) {
        removeCurrent(request);
        long now = clock.millis();
        String id = Tokens.randomString(32);
        em.persist(new BrowserSession(Tokens.hash(id), userId, now, now + settings.browserSessionLifetime().toMillis()));
        PURGE.purgeIfDue(em, now);
        cookies.write(response, Cookies.SESSION, id, settings.browserSessionLifetime());
    }

    /** Signs the browser out: the row goes, so a copied cookie is worthless too. */
    @Transactional
    public void end(HttpServletRequest request, HttpServletResponse response) {
        removeCurrent(request);
        cookies.clear(response, Cookies.SESSION);
    }

    private void removeCurrent(HttpServletRequest request) {
        cookies.read(request, Cookies.SESSION).ifPresent(id ->
                em.createQuery("DELETE FROM BrowserSession s WHERE s.idHash = :h").setParameter("h", Tokens.hash(id))
                        .executeUpdate());
    }

    static boolean maySignIn(User user) {
        return !user.deactivated() && !user.locked();
    }
}
