package org.turnkey.token;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.NodeScripts;

import java.net.URL;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interop with a real client library: {@code src/test/js/interop.mjs} drives this server with
 * matrix-js-sdk (pinned in {@code src/test/js/package-lock.json}) under Node. Access tokens live
 * two seconds, so the SDK client goes through several soft logouts and refreshes.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MatrixJsSdkInteropIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("jssdk", Map.of(
                "turnkey.registration.enabled", "true",
                "turnkey.access-token.lifetime", "PT2S"));
    }

    @ArquillianResource
    URL base;

    @Test
    void matrixJsSdkStaysLoggedInAcrossExpiriesByRefreshingAndIsRefusedAfterLogout() throws Exception {
        NodeScripts.install();
        NodeScripts.Result interop = NodeScripts.run(List.of("node", "interop.mjs", base.toString()), Map.of(), 150);
        assertEquals(0, interop.exit(), "interop.mjs failed: " + interop.lastLine());
        assertTrue(interop.lastLine().startsWith("interop: ok "), "unexpected summary: " + interop.lastLine());
    }
}
