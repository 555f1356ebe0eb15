package org.turnkey.audit;

import jakarta.enterprise.inject.Instance;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Where {@link SecurityEvents} counts: MicroProfile Metrics when the server has it (Payara),
 * nowhere otherwise (WildFly 31+ dropped it for Micrometer). Only {@link MicroProfileMetrics}
 * names the MicroProfile Metrics API, so the WAR also deploys where that API is absent.
 */
interface Metrics {

    Metrics NONE = new Metrics() {
        @Override
        public void increment(String name) {
        }

        @Override
        public void increment(String name, String tagName, String tagValue) {
        }

        @Override
        public Consumer<Duration> timer(String name) {
            return duration -> { };
        }
    };

    void increment(String name);

    void increment(String name, String tagName, String tagValue);

    Consumer<Duration> timer(String name);

    static Metrics fromServer(Instance<Object> beans) {
        Metrics metrics = NONE;
        try {
            Class.forName("org.eclipse.microprofile.metrics.MetricRegistry", false, Metrics.class.getClassLoader());
            metrics = MicroProfileMetrics.applicationRegistry(beans);
        } catch (ClassNotFoundException e) {
            // WildFly 31+: no API, so MicroProfileMetrics is never loaded.
        }
        if (metrics == NONE) {
            Logger.getLogger(Metrics.class.getName())
                    .info("No MicroProfile Metrics on this server: Turnkey's metrics are not exported");
        }
        return metrics;
    }
}
