package org.turnkey.api;

/** The Matrix error codes Turnkey emits (spec "Standard error response"). */
public enum ErrorCode {
    M_FORBIDDEN,
    M_UNKNOWN_TOKEN,
    M_MISSING_TOKEN,
    M_USER_LOCKED,
    M_USER_DEACTIVATED,
    M_BAD_JSON,
    M_NOT_JSON,
    M_NOT_FOUND,
    M_LIMIT_EXCEEDED,
    M_UNRECOGNIZED,
    M_UNKNOWN,
    M_MISSING_PARAM,
    M_INVALID_PARAM,
    M_TOO_LARGE,
    M_USER_IN_USE,
    M_INVALID_USERNAME,
    M_THREEPID_IN_USE,
    M_THREEPID_NOT_FOUND,
    M_THREEPID_AUTH_FAILED,
    M_THREEPID_MEDIUM_NOT_SUPPORTED,
    M_SERVER_NOT_TRUSTED
}
