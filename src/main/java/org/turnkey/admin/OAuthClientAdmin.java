package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.api.MatrixException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.auth.Requester;
import org.turnkey.device.DeviceService;
import org.turnkey.oauth.client.OAuthClient;
import org.turnkey.oauth.client.OAuthClients;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The admin API's OAuth 2.0 clients ({@code /_turnkey/admin/v1/oauth_clients}): who may list,
 * read and delete them (admins only, 403 {@code M_FORBIDDEN} for anyone else), and what deleting
 * one means: every device that holds a session of the client is deleted as an admin's device
 * deletion deletes it ({@link DeviceService#delete}), so its tokens stop working on every cluster
 * member at once, and the client's codes and remembered consents go with its row.
 */
@ApplicationScoped
public class OAuthClientAdmin {

    public record Page(List<OAuthClient> clients, Map<String, Long> devices, long total, Optional<Long> nextToken) {
    }

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    AdminService admin;

    @Inject
    OAuthClients clients;

    @Inject
    DeviceService devices;

    @Inject
    SecurityEvents events;

    /** A page of clients, oldest first; {@code from} and {@code limit} as in the user listing. */
    public Page list(Requester requester, String from, String limit) {
        admin.requireAdmin(requester);
        long offset = nonNegative("from", from, 0);
        int size = (int) Math.min(nonNegative("limit", limit, DEFAULT_LIMIT), MAX_LIMIT);
        long total = em.createQuery("SELECT COUNT(c) FROM OAuthClient c", Long.class).getSingleResult();
        List<OAuthClient> page = em.createQuery("SELECT c FROM OAuthClient c ORDER BY c.createdTs, c.clientId",
                OAuthClient.class).setFirstResult((int) Math.min(offset, Integer.MAX_VALUE)).setMaxResults(size)
                .getResultList();
        Optional<Long> next = offset + page.size() < total ? Optional.of(offset + page.size()) : Optional.empty();
        return new Page(page, deviceCounts(page.stream().map(OAuthClient::clientId).toList()), total, next);
    }

    public OAuthClient get(Requester requester, String clientId) {
        admin.requireAdmin(requester);
        return existing(clientId);
    }

    /** How many devices hold a session of the client. */
    public long deviceCount(String clientId) {
        return deviceCounts(List.of(clientId)).getOrDefault(clientId, 0L);
    }

    /**
     * Deletes the client and every device with a session of it; answers how many devices went.
     * The client's row goes first: its codes go with it, and a code being exchanged at this moment
     * finds no client, so no new session of it can appear after the devices were looked up.
     */
    @Transactional
    public int delete(Requester requester, String clientId) {
        admin.requireAdmin(requester);
        existing(clientId);
        em.createQuery("DELETE FROM OAuthClient c WHERE c.clientId = :c").setParameter("c", clientId).executeUpdate();
        List<Object[]> rows = em.createQuery("SELECT DISTINCT s.userId, s.deviceId FROM AuthSession s"
                + " WHERE s.clientId = :c", Object[].class).setParameter("c", clientId).getResultList();
        // One user at a time, in user order, each user's devices in the order DeviceService locks them.
        Map<String, List<String>> byUser = new TreeMap<>();
        rows.forEach(r -> byUser.computeIfAbsent((String) r[0], u -> new ArrayList<>()).add((String) r[1]));
        int deleted = 0;
        for (Map.Entry<String, List<String>> user : byUser.entrySet()) {
            deleted += devices.delete(user.getKey(), user.getValue().stream().sorted().toList());
        }
        int count = deleted;
        events.oauthClientDeletedByAdmin(clientId, count, requester.userId(), requester.deviceId());
        return count;
    }

    private OAuthClient existing(String clientId) {
        return clients.find(clientId).orElseThrow(() -> MatrixException.notFound("OAuth client not found"));
    }

    private Map<String, Long> deviceCounts(List<String> clientIds) {
        Map<String, Long> counts = new HashMap<>();
        if (clientIds.isEmpty()) {
            return counts;
        }
        em.createQuery("SELECT DISTINCT s.clientId, s.userId, s.deviceId FROM AuthSession s"
                        + " WHERE s.clientId IN :ids", Object[].class)
                .setParameter("ids", clientIds).getResultList()
                .forEach(r -> counts.merge((String) r[0], 1L, Long::sum));
        return counts;
    }

    private static long nonNegative(String name, String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Answered below like a negative number.
        }
        throw MatrixException.invalidParam("Query parameter " + name + " must be a non-negative integer");
    }
}
