package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;

import org.turnkey.account.User;
import org.turnkey.api.MatrixException;
import org.turnkey.config.TurnkeyConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The admin user listing ({@code GET /_synapse/admin/v2/users}): its query parameters as Synapse
 * reads them, and the one native query behind them. Who may list is {@link AdminService}'s
 * decision; this class only pages through accounts.
 */
@ApplicationScoped
public class AdminUserSearch {

    /** The listing's query parameters, as received. */
    public record Params(String from, String limit, String name, String admins, String deactivated,
                        String locked, String orderBy, String dir) {
    }

    public record Page(List<User> users, long total, Optional<Long> nextToken) {
    }

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private static final Map<String, String> ORDER_COLUMNS = Map.of("name", "user_id", "creation_ts", "created_ts");

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    TurnkeyConfig config;

    Page page(Params query) {
        long from = nonNegative("from", query.from(), 0);
        long limit = Math.min(nonNegative("limit", query.limit(), DEFAULT_LIMIT), MAX_LIMIT);
        String order = ORDER_COLUMNS.get(query.orderBy() == null ? "name" : query.orderBy());
        if (order == null) {
            throw MatrixException.invalidParam("order_by must be one of " + ORDER_COLUMNS.keySet());
        }
        String dir = query.dir() == null ? "f" : query.dir();
        if (!dir.equals("f") && !dir.equals("b")) {
            throw MatrixException.invalidParam("dir must be f or b");
        }
        // Native SQL: EclipseLink writes JPQL booleans as 0/1, which H2 and PostgreSQL refuse for BOOLEAN columns.
        List<String> where = new ArrayList<>();
        if (!bool("deactivated", query.deactivated(), false)) {
            where.add("deactivated = FALSE");
        }
        if (!bool("locked", query.locked(), false)) {
            where.add("locked = FALSE");
        }
        if (query.admins() != null) {
            where.add(bool("admins", query.admins(), false) ? "admin = TRUE" : "admin = FALSE");
        }
        String name = query.name() == null || query.name().isEmpty() ? null
                // Every local ID ends in ":server", so this pattern finds the name in the localpart only.
                : "@%" + likeEscaped(query.name().toLowerCase(Locale.ROOT)) + "%:" + likeEscaped(config.serverName());
        if (name != null) {
            where.add("user_id LIKE ?1 ESCAPE '\\'");
        }
        String filter = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        Query count = em.createNativeQuery("SELECT COUNT(*) FROM users" + filter);
        Query page = em.createNativeQuery("SELECT * FROM users" + filter + " ORDER BY " + order
                + (dir.equals("b") ? " DESC" : " ASC") + ", user_id ASC LIMIT ?2 OFFSET ?3", User.class)
                .setParameter(2, limit).setParameter(3, from);
        if (name != null) {
            count.setParameter(1, name);
            page.setParameter(1, name);
        }
        long total = ((Number) count.getSingleResult()).longValue();
        @SuppressWarnings("unchecked")
        List<User> found = page.getResultList();
        long next = from + found.size();
        return new Page(found, total, next < total && !found.isEmpty() ? Optional.of(next) : Optional.empty());
    }

    /** A LIKE pattern's literal text: the search finds {@code %} and {@code _} as typed. */
    static String likeEscaped(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
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

    /** A Synapse boolean query parameter: exactly {@code true} or {@code false}. */
    static boolean bool(String name, String value, boolean fallback) {
        if (value == null) {
            return fallback;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw MatrixException.invalidParam("Query parameter " + name + " must be true or false");
        };
    }
}
