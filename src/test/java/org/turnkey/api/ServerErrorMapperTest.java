package org.turnkey.api;

import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerErrorMapperTest {

    @Test
    void aServerFaultIs500UnknownWithARequestIdAndNoStackTrace() {
        MatrixException error = ServerErrorMapper.toMatrixError(new IllegalStateException("secret internal detail"));
        assertEquals(500, error.status());
        assertEquals(ErrorCode.M_UNKNOWN, error.errcode());
        String body = error.body().toString();
        assertTrue(body.contains("request "), body);
        assertFalse(body.contains("secret internal detail"), body);
        assertFalse(body.contains("at org."), body);
    }

    @Test
    void anUnreachableDatabaseIs503WithRetryAfterNeverA401() {
        MatrixException error = ServerErrorMapper.toMatrixError(
                new PersistenceException(new SQLException("Connection refused")));
        assertEquals(503, error.status());
        assertEquals(ErrorCode.M_UNKNOWN, error.errcode());
        assertEquals("5", error.headers().get("Retry-After"));
    }

    @Test
    void aWrappedMatrixErrorKeepsItsStatusAndCode() {
        MatrixException error = ServerErrorMapper.toMatrixError(new RuntimeException(MatrixException.forbidden("no")));
        assertEquals(403, error.status());
        assertEquals(ErrorCode.M_FORBIDDEN, error.errcode());
    }
}
