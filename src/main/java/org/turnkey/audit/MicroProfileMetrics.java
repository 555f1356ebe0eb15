package org.turnkey.audit;

import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import java.time.Duration;
import java.util.function.Consumer;

/** {@link Metrics} in the server's MicroProfile Metrics application registry (Payara's /metrics). */
final class MicroProfileMetrics implements Metrics {

    private final MetricRegistry registry;

    private MicroProfileMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    /**
     * Through an injected Instance: Payara's registry producer needs a real injection point. The
     * API alone, without an implementation, counts as no metrics.
     */
    static Metrics applicationRegistry(Instance<Object> beans) {
        Instance<MetricRegistry> registry = beans.select(MetricRegistry.class);
        return registry.isResolvable() ? new MicroProfileMetrics(registry.get()) : NONE;
    }

    @Override
    public void increment(String name) {
        registry.counter(name).inc();
    }

    @Override
    public void increment(String name, String tagName, String tagValue) {
        registry.counter(name, new Tag(tagName, tagValue)).inc();
    }

    @Override
    public Consumer<Duration> timer(String name) {
        return registry.timer(name)::update;
    }
}
