package org.turnkey.auth;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which {@code @Authenticated} the filter obeys: the method's, else the class's. */
class AccessTokenFilterTest {

    @Authenticated(allowExpired = true, allowLocked = true)
    static class LogoutLikeResource {
        public void inherits() {
        }

        @Authenticated
        public void strict() {
        }
    }

    static class PlainResource {
        @Authenticated(allowExpired = true)
        public void expiredAllowed() {
        }

        public void open() {
        }
    }

    private static Method method(Class<?> type, String name) throws NoSuchMethodException {
        return type.getMethod(name);
    }

    @Test
    void classLevelAnnotationAppliesToMethodsWithoutTheirOwn() throws NoSuchMethodException {
        Authenticated marker = AccessTokenFilter.marker(method(LogoutLikeResource.class, "inherits"), LogoutLikeResource.class);
        assertTrue(marker.allowExpired());
        assertTrue(marker.allowLocked());
    }

    @Test
    void methodAnnotationOverridesTheClassOne() throws NoSuchMethodException {
        Authenticated marker = AccessTokenFilter.marker(method(LogoutLikeResource.class, "strict"), LogoutLikeResource.class);
        assertFalse(marker.allowExpired());
        assertFalse(marker.allowLocked());
    }

    @Test
    void methodAnnotationAloneIsRead() throws NoSuchMethodException {
        assertTrue(AccessTokenFilter.marker(method(PlainResource.class, "expiredAllowed"), PlainResource.class).allowExpired());
        assertNull(AccessTokenFilter.marker(method(PlainResource.class, "open"), PlainResource.class));
    }
}
