package io.routewatch.alert.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Bad arguments → 400 with a message saying what is wrong. */
public class ApiErrors {
  @ServerExceptionMapper
  public Response badArgument(IllegalArgumentException e) {
    return Response.status(400)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("error", String.valueOf(e.getMessage())))
        .build();
  }
}
