package org.turnkey.oauth.legacy;

import org.junit.jupiter.api.Test;
import org.turnkey.oauth.legacy.SsoRedirectPolicy.Refused;
import org.turnkey.oauth.legacy.SsoRedirectPolicy.Target;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec "Client login via SSO" / "OAuth 2.0 aware clients": where the SSO redirect may return. */
class SsoRedirectPolicyTest {

    private final SsoRedirectPolicy policy = new SsoRedirectPolicy(URI.create("https://matrix.example.org/"),
            List.of("trusted.example.net", "https://Apps.example.com/matrix/", "https://exact.example.com"));

    private boolean direct(String url) {
        return assertInstanceOf(Target.class, policy.check(url), url).direct();
    }

    @Test
    void theServersOwnHostGoesStraightThroughOnAnySchemeOrPort() {
        assertTrue(direct("https://matrix.example.org/app/#/login"));
        assertTrue(direct("http://MATRIX.example.org:8080/cb"));
    }

    @Test
    void loopbackHostsGoStraightThrough() {
        assertTrue(direct("http://127.0.0.1:41234/callback"));
        assertTrue(direct("http://localhost/cb"));
        assertTrue(direct("http://[::1]:9000/cb"));
    }

    @Test
    void allowlistedHostsAndPrefixesGoStraightThrough() {
        assertTrue(direct("https://trusted.example.net/anything?x=1"));
        assertTrue(direct("https://apps.example.com/matrix/client"));
        assertTrue(direct("https://exact.example.com"));
        assertTrue(direct("https://exact.example.com/path"));
    }

    @Test
    void aPrefixMatchesOnlyAtTheEndOfAUrlPart() {
        assertFalse(direct("https://exact.example.com.evil.net/"));
        assertFalse(direct("https://exact.example.com:8443/"));
        assertFalse(direct("https://apps.example.com/other"));
        assertFalse(direct("https://sub.trusted.example.net/"));
    }

    @Test
    void anyOtherHostIsConfirmedAndNamed() {
        Target target = assertInstanceOf(Target.class, policy.check("https://Evil.example/steal?x=1"));
        assertFalse(target.direct());
        assertEquals("evil.example", target.host());
        assertEquals("https://Evil.example/steal?x=1", target.url());
    }

    @Test
    void whatIsNotAnAbsoluteHttpUrlIsRefused() {
        for (String url : List.of("javascript:alert(1)", "/relative/path", "//evil.example/cb", "ftp://host/x",
                "data:text/html,hi", "http:///nohost", "mailto:a@b.c", "not a url", "", "https://x/" + "a".repeat(2100))) {
            assertInstanceOf(Refused.class, policy.check(url), url);
        }
    }

    @Test
    void aUrlWithUserInfoIsRefused() {
        assertInstanceOf(Refused.class, policy.check("https://matrix.example.org@evil.example/cb"));
    }

    @Test
    void theLoginTokenIsAddedToTheQueryBeforeTheFragment() {
        assertEquals("https://a.example/cb?loginToken=t", SsoRedirectPolicy.withLoginToken("https://a.example/cb", "t"));
        assertEquals("https://a.example/cb?x=1&loginToken=t",
                SsoRedirectPolicy.withLoginToken("https://a.example/cb?x=1", "t"));
        assertEquals("https://a.example/?loginToken=t#/room",
                SsoRedirectPolicy.withLoginToken("https://a.example/#/room", "t"));
        assertEquals("https://a.example/cb?loginToken=t", SsoRedirectPolicy.withLoginToken("https://a.example/cb?", "t"));
    }
}
