package org.turnkey.api;

import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.TransactionalException;
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

    @Test
    void aValueTheDatabaseRefusesIs400InvalidParamEvenWhenItFailsTheCommit() {
        // PostgreSQL's answer to U+0000 in a parameter, as a failed commit of a @Transactional method delivers it.
        SQLException refused = new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
        MatrixException error = ServerErrorMapper.toMatrixError(new TransactionalException("commit failed",
                new RollbackException("Transaction marked for rollback.") {{ initCause(new PersistenceException(refused)); }}));
        assertEquals(400, error.status());
        assertEquals(ErrorCode.M_INVALID_PARAM, error.errcode());
        assertFalse(error.body().toString().contains("0x00"), error.body().toString());
    }

    @Test
    void aDatabaseLostDuringTheCommitIs503() {
        MatrixException error = ServerErrorMapper.toMatrixError(new TransactionalException("commit failed",
                new PersistenceException(new SQLException("I/O error", "08006"))));
        assertEquals(503, error.status());
    }

    @Test
    void textWithU0000IsNotAcceptableAndEverythingElseIs() {
        assertFalse(Text.acceptable("a\u0000b"));
        assertTrue(Text.acceptable("\ud800 lone surrogate, emoji \ud83d\ude00, é"));
        assertTrue(Text.acceptable(null));
    }
}
