package org.turnkey.oauth.grant;

import org.junit.jupiter.api.Test;
import org.turnkey.api.OAuthException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 6749 sections 3.1 and 3.2, RFC 7009 section 2.1: form-encoded parameters, each at most once. */
class FormParametersTest {

    @Test
    void formEncodedValuesAreDecoded() {
        FormParameters form = FormParameters.parse("application/x-www-form-urlencoded; charset=UTF-8",
                "grant_type=authorization_code&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&scope=a+b");
        assertEquals("authorization_code", form.require("grant_type"));
        assertEquals("https://app.example.com/cb", form.require("redirect_uri"));
        assertEquals("a b", form.require("scope"));
    }

    @Test
    void emptyValuesCountAsAbsent() {
        FormParameters form = FormParameters.parse("application/x-www-form-urlencoded", "code=&grant_type=x");
        assertTrue(form.optional("code").isEmpty());
        assertEquals("invalid_request", assertThrows(OAuthException.class, () -> form.require("code")).error());
    }

    @Test
    void aU0000InANameOrValueIsInvalidRequest() {
        assertEquals("invalid_request", assertThrows(OAuthException.class, () -> FormParameters.parse(
                "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=a%00b")).error());
        assertEquals("invalid_request", assertThrows(OAuthException.class, () -> FormParameters.parse(
                "application/x-www-form-urlencoded", "client%00id=x")).error());
    }

    @Test
    void repeatedParametersAreInvalidRequest() {
        assertEquals("invalid_request", assertThrows(OAuthException.class, () -> FormParameters.parse(
                "application/x-www-form-urlencoded", "code=a&code=b")).error());
    }

    @Test
    void bodiesThatAreNotFormEncodedAreInvalidRequest() {
        assertEquals("invalid_request", assertThrows(OAuthException.class,
                () -> FormParameters.parse("application/json", "{\"grant_type\":\"refresh_token\"}")).error());
        assertEquals("invalid_request", assertThrows(OAuthException.class,
                () -> FormParameters.parse(null, "grant_type=refresh_token")).error());
        assertEquals("invalid_request", assertThrows(OAuthException.class,
                () -> FormParameters.parse("application/x-www-form-urlencoded", "code=%zz")).error());
    }
}
