package org.turnkey.auth;

import jakarta.ws.rs.NameBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint that needs an access token, on a method or on a resource class (then for
 * each of its methods without one of its own); {@link AccessTokenFilter} checks it.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Authenticated {

    /** Whether an expired (but otherwise valid) access token is accepted, as for logout. */
    boolean allowExpired() default false;

    /** Whether a locked account may call it (spec "Account locking": only the logouts). */
    boolean allowLocked() default false;

    /**
     * Whether a request without any access token may call it anonymously ({@link Requester#present}
     * is then false); a token that is sent is still checked. Only {@code POST /account/password}:
     * a forgotten password is reset by email without a token.
     */
    boolean optional() default false;
}
