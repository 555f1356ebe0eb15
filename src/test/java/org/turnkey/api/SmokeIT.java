package org.turnkey.api;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;

import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SmokeIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.standard();
    }

    @ArquillianResource
    URL base;

    @Test
    void registerLoginWhoami() {
        MatrixClient client = new MatrixClient(base);
        System.out.println("BASE " + base);
        MatrixClient.Reply versions = client.get("/_matrix/client/versions");
        System.out.println(versions);
        var reg = client.register("alice", "secret-password-1");
        System.out.println(reg);
        assertEquals(200, reg.status());
        var login = client.login("@Alice:localhost", "secret-password-1", MatrixClient.withRefresh());
        System.out.println(login);
        var who = client.whoami(login.string("access_token"));
        System.out.println(who);
        assertEquals("@alice:localhost", who.string("user_id"));
        System.out.println(client.refresh(login.string("refresh_token")));
        System.out.println(client.get("/_matrix/client/v3/nope"));
    }
}
