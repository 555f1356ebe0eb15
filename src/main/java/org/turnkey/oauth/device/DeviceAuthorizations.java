package org.turnkey.oauth.device;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.api.OAuthException;
import org.turnkey.device.DeviceService;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.oauth.Scope;
import org.turnkey.oauth.client.ClientRegistrationPolicy;
import org.turnkey.oauth.client.OAuthClient;
import org.turnkey.oauth.device.DeviceGrantPolicy.Undecidable;
import org.turnkey.token.Tokens;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The device authorisation requests (table {@code oauth_device_codes}): started by the device
 * authorisation endpoint, decided on the verification page, redeemed by the token endpoint
 * ({@link DeviceCodeGrant}). {@link DeviceGrantPolicy} holds the rules; this class the rows.
 * Rows are kept an hour past their expiry, so a late poll hears {@code expired_token}, then
 * purged now and then.
 */
@ApplicationScoped
public class DeviceAuthorizations {

    /** Device code prefix, so a code is recognisable in a log or a leak scanner (never logged by Turnkey). */
    public static final String PREFIX = "tkd_";

    private static final long KEEP_EXPIRED_MS = 3_600_000;
    private static final long PURGE_INTERVAL_MS = 60_000;

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    OAuthSettings settings;

    @Inject
    Clock clock;

    private DeviceGrantPolicy policy;
    private final AtomicLong lastPurge = new AtomicLong();

    /** What the device authorisation endpoint answers (RFC 8628 section 3.2). */
    public record Started(String deviceCode, String userCode, Scope scope, long expiresIn, int interval) {
    }

    @PostConstruct
    void init() {
        policy = new DeviceGrantPolicy(clock, settings.deviceCodeLifetime(), settings.deviceCodeInterval());
    }

    public DeviceGrantPolicy policy() {
        return policy;
    }

    /**
     * Starts a device authorisation for a client that registered the grant (else 400
     * {@code unauthorized_client}, RFC 6749 section 5.2), with its scope's device or a new one.
     */
    @Transactional
    public Started start(OAuthClient client, String requestedScope) {
        if (!client.grantTypes().contains(ClientRegistrationPolicy.DEVICE_CODE)) {
            throw OAuthException.unauthorizedClient("This client did not register the grant type "
                    + ClientRegistrationPolicy.DEVICE_CODE);
        }
        Scope scope = Scope.parseOrAllocate(requestedScope, DeviceService::newDeviceId);
        purgeIfDue();
        String deviceCode = PREFIX + Tokens.randomString(32);
        // 20^8 user codes: a clash with a live one is rare, but would make a code ambiguous.
        for (int attempt = 0; ; attempt++) {
            String userCode = DeviceGrantPolicy.newUserCode();
            String userCodeHash = Tokens.hash(userCode);
            if (findByUserCodeHash(userCodeHash, false).isEmpty()) {
                em.persist(policy.create(Tokens.hash(deviceCode), userCodeHash, client.clientId(), scope.value()));
                return new Started(deviceCode, DeviceGrantPolicy.display(userCode), scope, policy.expiresIn(),
                        policy.interval());
            }
            if (attempt == 5) {
                throw new IllegalStateException("No free user code after 6 attempts");
            }
        }
    }

    /** The request a typed user code (normal form) names, if any. */
    public Optional<DeviceAuthorization> findByUserCode(String normalUserCode) {
        return findByUserCodeHash(Tokens.hash(normalUserCode), false);
    }

    private Optional<DeviceAuthorization> findByUserCodeHash(String hash, boolean lock) {
        var query = em.createQuery("SELECT d FROM DeviceAuthorization d WHERE d.userCodeHash = :h",
                DeviceAuthorization.class).setParameter("h", hash);
        if (lock) {
            query.setLockMode(LockModeType.PESSIMISTIC_WRITE);
        }
        List<DeviceAuthorization> rows = query.getResultList();
        return rows.stream().findFirst();
    }

    /**
     * Records the user's approval or denial of the request a user code names, its row locked so
     * that two tabs cannot both decide; empty if it was decided, or the reason it could not be.
     */
    @Transactional
    public Optional<Undecidable> decide(String normalUserCode, boolean approve, String userId) {
        DeviceAuthorization row = findByUserCodeHash(Tokens.hash(normalUserCode), true).orElse(null);
        Optional<Undecidable> why = policy.undecidable(row);
        if (why.isEmpty()) {
            policy.decide(row, approve, userId);
        }
        return why;
    }

    /** The row of a device code, locked until the caller's transaction ends, or empty if unknown. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<DeviceAuthorization> lock(String deviceCode) {
        return Optional.ofNullable(em.find(DeviceAuthorization.class, Tokens.hash(deviceCode),
                LockModeType.PESSIMISTIC_WRITE));
    }

    private void purgeIfDue() {
        long now = clock.millis();
        long previous = lastPurge.get();
        if (now - previous >= PURGE_INTERVAL_MS && lastPurge.compareAndSet(previous, now)) {
            em.createQuery("DELETE FROM DeviceAuthorization d WHERE d.expiresTs <= :cutoff")
                    .setParameter("cutoff", now - KEEP_EXPIRED_MS).executeUpdate();
        }
    }
}
