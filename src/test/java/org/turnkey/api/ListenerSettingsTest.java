package org.turnkey.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * server-config/payara-micro.preboot is the one list of HTTP listener settings (docs/http.md);
 * payara-micro.postboot repeats those that apply after boot, for a Payara Micro started with the
 * post-boot file alone.
 */
class ListenerSettingsTest {

    private static List<String> settings(String file) throws IOException {
        return Files.readAllLines(Path.of("server-config", file)).stream()
                .filter(line -> line.startsWith("set configs.config.server-config.network-config."))
                .toList();
    }

    @Test
    void postBootFileRepeatsEveryProtocolSettingOfThePreBootFile() throws IOException {
        List<String> preboot = settings("payara-micro.preboot");
        List<String> postboot = settings("payara-micro.postboot");
        assertFalse(preboot.isEmpty());
        preboot.stream()
                .filter(line -> line.contains(".protocols.protocol.http-listener.http."))
                .forEach(line -> assertTrue(postboot.contains(line), "payara-micro.postboot lacks: " + line));
    }

    @Test
    void deleteBodiesAreAllowed() throws IOException {
        assertTrue(settings("payara-micro.preboot").contains("set configs.config.server-config.network-config.protocols"
                + ".protocol.http-listener.http.allow-payload-for-undefined-http-methods=true"));
    }
}
