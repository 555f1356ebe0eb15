package org.turnkey.support;

import org.eclipse.microprofile.config.Config;
import org.turnkey.config.TurnkeyConfig;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;

/** A {@link TurnkeyConfig} over a map, for unit tests of policies (no server). */
public final class TestConfig {

    private TestConfig() {
    }

    public static TurnkeyConfig of(Map<String, String> values) {
        Config config = (Config) Proxy.newProxyInstance(TestConfig.class.getClassLoader(), new Class<?>[]{Config.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getOptionalValue") && args[1] == String.class) {
                        return Optional.ofNullable(values.get((String) args[0]));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new TurnkeyConfig(config);
    }
}
