package org.turnkey.config;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Every {@code turnkey.*} setting, read once through MicroProfile Config and validated at
 * startup: a bad value fails deployment with a message that names the key. Each key can also be
 * given as an environment variable ({@code turnkey.access-token.lifetime} →
 * {@code TURNKEY_ACCESS_TOKEN_LIFETIME}).
 */
@ApplicationScoped
public class TurnkeyConfig {

    public enum ReusePolicy { REVOKE_DEVICE, REJECT }

    /** A shared secret makes admins: short ones could be guessed offline from one observed MAC. */
    static final int MIN_SHARED_SECRET_LENGTH = 16;

    private static final Logger LOG = Logger.getLogger(TurnkeyConfig.class.getName());

    /** One rate limit: a leaky bucket of {@code burstCount} actions draining at {@code perSecond}. */
    public record RateLimit(double perSecond, int burstCount) {
    }

    /**
     * {@code turnkey.ratelimit.NAME.per-second} and {@code .burst-count}; Synapse's defaults
     * where Synapse has the limit (rc_login, rc_registration, rc_registration_token_validity).
     */
    public static final Map<String, RateLimit> RATE_LIMIT_DEFAULTS = Map.ofEntries(
            Map.entry("login.address", new RateLimit(0.003, 5)),
            Map.entry("login.account", new RateLimit(0.003, 5)),
            Map.entry("login.failed-attempts", new RateLimit(0.17, 3)),
            Map.entry("registration", new RateLimit(0.17, 3)),
            Map.entry("registration-token-validity", new RateLimit(0.1, 5)),
            Map.entry("refresh", new RateLimit(0.5, 10)),
            Map.entry("login-token", new RateLimit(1.0 / 60, 1)),
            Map.entry("device-user-code", new RateLimit(0.1, 10)),
            Map.entry("device-authorization", new RateLimit(0.2, 10)),
            Map.entry("email.client-address", new RateLimit(0.003, 5)),
            Map.entry("email.address", new RateLimit(0.003, 3)));

    @Inject
    Config config;

    private String serverName;
    private boolean registrationEnabled;
    private Duration accessTokenLifetime;
    private Optional<Duration> refreshTokenLifetime;
    private Optional<Duration> nonRefreshableAccessTokenLifetime;
    private ReusePolicy reusePolicy;
    private Duration duplicateAllowance;
    private boolean rateLimitEnabled;
    private long maxBodyBytes;
    private Duration uiaSessionTimeout;
    private int argon2MemoryKib;
    private int argon2Iterations;
    private int argon2Parallelism;
    private int argon2Concurrency;
    private Map<String, RateLimit> rateLimits;
    private boolean registrationRequiresToken;
    private boolean loginTokenEnabled;
    private Duration loginTokenLifetime;
    private Duration deviceLastSeenInterval;
    private int accessTokenCacheSize;
    private Optional<String> registrationSharedSecret;
    private URI publicBaseUrl;

    public TurnkeyConfig() {
    }

    /** For unit tests of the policies. */
    public TurnkeyConfig(Config config) {
        this.config = config;
        load();
    }

    @PostConstruct
    void load() {
        serverName = string("turnkey.server-name", "localhost");
        if (!serverName.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
            throw invalid("turnkey.server-name", serverName, "a server name such as example.org or localhost:8008");
        }
        registrationEnabled = bool("turnkey.registration.enabled", false);
        accessTokenLifetime = duration("turnkey.access-token.lifetime").orElse(Duration.ofMinutes(5));
        refreshTokenLifetime = duration("turnkey.refresh-token.lifetime");
        nonRefreshableAccessTokenLifetime = duration("turnkey.nonrefreshable-access-token.lifetime");
        reusePolicy = parse("turnkey.refresh-token.reuse-policy", "revoke-device", "revoke-device or reject",
                v -> ReusePolicy.valueOf(v.trim().toUpperCase().replace('-', '_')));
        duplicateAllowance = parse("turnkey.refresh-token.duplicate-allowance", "PT5S",
                "an ISO-8601 duration such as PT5S (zero allowed)", Duration::parse);
        if (duplicateAllowance.isNegative()) {
            throw invalid("turnkey.refresh-token.duplicate-allowance", duplicateAllowance.toString(),
                    "a duration of zero or more");
        }
        rateLimitEnabled = bool("turnkey.ratelimit.enabled", true);
        maxBodyBytes = positive("turnkey.max-body-bytes", 1024 * 1024);
        uiaSessionTimeout = duration("turnkey.uia.session-timeout").orElse(Duration.ofMinutes(15));
        argon2MemoryKib = (int) positive("turnkey.password.argon2.memory-kib", 19 * 1024);
        argon2Iterations = (int) positive("turnkey.password.argon2.iterations", 2);
        argon2Parallelism = (int) positive("turnkey.password.argon2.parallelism", 1);
        argon2Concurrency = (int) positive("turnkey.password.argon2.concurrency", Runtime.getRuntime().availableProcessors());
        rateLimits = new LinkedHashMap<>();
        RATE_LIMIT_DEFAULTS.forEach((name, fallback) -> rateLimits.put(name, new RateLimit(
                positiveDecimal("turnkey.ratelimit." + name + ".per-second", fallback.perSecond()),
                (int) positive("turnkey.ratelimit." + name + ".burst-count", fallback.burstCount()))));
        registrationRequiresToken = bool("turnkey.registration.requires-token", false);
        loginTokenEnabled = bool("turnkey.login-token.enabled", true);
        loginTokenLifetime = duration("turnkey.login-token.lifetime").orElse(Duration.ofMinutes(2));
        deviceLastSeenInterval = duration("turnkey.device.last-seen-interval").orElse(Duration.ofMinutes(1));
        accessTokenCacheSize = (int) positive("turnkey.access-token-cache.size", 200_000);
        registrationSharedSecret = raw("turnkey.registration.shared-secret");
        if (registrationSharedSecret.filter(s -> s.length() < MIN_SHARED_SECRET_LENGTH).isPresent()) {
            // The message must not repeat the value: it is a secret.
            throw new IllegalStateException("Invalid configuration turnkey.registration.shared-secret: expected at least "
                    + MIN_SHARED_SECRET_LENGTH + " characters");
        }
        String base = string("turnkey.public-base-url", "http://localhost:8008/");
        publicBaseUrl = publicBaseUrl(base).orElseThrow(() -> invalid("turnkey.public-base-url", base,
                "an absolute https URL without query or fragment, such as https://matrix.example.org/"
                        + " (http only on a loopback address)"));
    }

    /**
     * The address clients reach Turnkey at, ending in a slash, or empty if unusable. OAuth 2.0
     * (RFC 9700 section 2.6, and the spec's server metadata) needs https for the issuer and every
     * endpoint, since tokens and passwords cross it; plain http is only for a server reached on
     * the same machine (localhost, 127.0.0.0/8, ::1), which is what development and the tests do.
     */
    static Optional<URI> publicBaseUrl(String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase();
        if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(uri.getHost()))) {
            return Optional.empty();
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (!path.endsWith("/")) {
            path = path + "/";
        }
        return Optional.of(URI.create(scheme + "://" + uri.getRawAuthority() + path));
    }

    /** Whether a URL host names this machine's loopback interface (RFC 8252 section 8.3). */
    public static boolean isLoopback(String host) {
        String h = host.toLowerCase();
        if (h.equals("localhost") || h.equals("[::1]") || h.equals("::1")) {
            return true;
        }
        return h.matches("127\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    }

    /** Observing startup instantiates this bean, so a bad value fails deployment before any request. */
    void validateAtStartup(@Observes @Priority(0) @Initialized(ApplicationScoped.class) Object started) {
        LOG.info(() -> "Turnkey configuration valid; server name " + serverName);
    }

    public String serverName() { return serverName; }
    public boolean registrationEnabled() { return registrationEnabled; }
    public Duration accessTokenLifetime() { return accessTokenLifetime; }
    public Optional<Duration> refreshTokenLifetime() { return refreshTokenLifetime; }
    public Optional<Duration> nonRefreshableAccessTokenLifetime() { return nonRefreshableAccessTokenLifetime; }
    public ReusePolicy reusePolicy() { return reusePolicy; }
    public Duration duplicateAllowance() { return duplicateAllowance; }
    public boolean rateLimitEnabled() { return rateLimitEnabled; }
    public long maxBodyBytes() { return maxBodyBytes; }
    public Duration uiaSessionTimeout() { return uiaSessionTimeout; }
    public int argon2MemoryKib() { return argon2MemoryKib; }
    public int argon2Iterations() { return argon2Iterations; }
    public int argon2Parallelism() { return argon2Parallelism; }
    public int argon2Concurrency() { return argon2Concurrency; }
    public RateLimit rateLimit(String name) { return rateLimits.get(name); }
    public boolean registrationRequiresToken() { return registrationRequiresToken; }
    public boolean loginTokenEnabled() { return loginTokenEnabled; }
    public Duration loginTokenLifetime() { return loginTokenLifetime; }
    public Duration deviceLastSeenInterval() { return deviceLastSeenInterval; }
    public int accessTokenCacheSize() { return accessTokenCacheSize; }
    public Optional<String> registrationSharedSecret() { return registrationSharedSecret; }
    /** {@code turnkey.public-base-url}: the OAuth 2.0 issuer; every endpoint and page URL is under it. */
    public URI publicBaseUrl() { return publicBaseUrl; }

    /** Any further {@code turnkey.*} key, for features that own their settings. */
    public Optional<String> raw(String key) {
        return config.getOptionalValue(key, String.class).map(String::trim).filter(v -> !v.isEmpty());
    }

    public long positive(String key, long fallback) {
        long value = parse(key, Long.toString(fallback), "a positive integer", Long::parseLong);
        if (value <= 0) {
            throw invalid(key, Long.toString(value), "a positive integer");
        }
        return value;
    }

    public double positiveDecimal(String key, double fallback) {
        double value = parse(key, Double.toString(fallback), "a positive number", Double::parseDouble);
        if (!(value > 0) || Double.isInfinite(value)) {
            throw invalid(key, Double.toString(value), "a positive number");
        }
        return value;
    }

    public boolean bool(String key, boolean fallback) {
        return parse(key, Boolean.toString(fallback), "true or false", v -> switch (v.trim().toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException();
        });
    }

    public Optional<Duration> duration(String key) {
        return raw(key).map(v -> parse(key, v, "an ISO-8601 duration such as PT5M", Duration::parse))
                .map(d -> {
                    if (d.isNegative() || d.isZero()) {
                        throw invalid(key, d.toString(), "a positive ISO-8601 duration such as PT5M");
                    }
                    return d;
                });
    }

    private String string(String key, String fallback) {
        return raw(key).orElse(fallback);
    }

    private <T> T parse(String key, String fallback, String expected, Function<String, T> parser) {
        String value = raw(key).orElse(fallback);
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw invalid(key, value, expected);
        }
    }

    private static IllegalStateException invalid(String key, String value, String expected) {
        return new IllegalStateException("Invalid configuration " + key + "='" + value + "': expected " + expected);
    }
}
