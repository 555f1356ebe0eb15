package org.turnkey.api;

import jakarta.transaction.TransactionalException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A {@code @Transactional} method whose commit fails (the database refused the flush, or went
 * away) throws {@link TransactionalException}. Jersey's own mapper for that type rethrows it
 * unless it wraps a {@code WebApplicationException}, which ends in a bare 500; this mapper, being
 * the more specific user provider, answers exactly as {@link ServerErrorMapper} does for the
 * cause: 503 for an unreachable database, 400 for a value it refused.
 */
@Provider
public class TransactionFailureMapper implements ExceptionMapper<TransactionalException> {

    @Context
    UriInfo request;

    @Override
    public Response toResponse(TransactionalException e) {
        return ServerErrorMapper.render(e, request);
    }
}
