package io.routewatch.state.web;

import io.routewatch.state.WebConfig;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * Server-sent events for the web page: one {@code tick} event with the journal's last sequence
 * whenever state's change journal advances, and a keep-alive tick every {@code
 * routewatch.web.keep-alive} otherwise. The page refetches what it shows on each advance; the
 * payload stays tiny so a slow page never holds up state. No thread per page ({@link LiveClients});
 * beyond {@code routewatch.web.max-live-clients} pages: 503.
 */
@Path("/web/live")
public class LiveResource {
  /** Seconds a refused page waits before it tries again. */
  static final int RETRY_AFTER = 30;

  @Inject LiveClients clients;
  @Inject WebConfig config;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @NonBlocking
  public void live(@Context SseEventSink sink, @Context Sse sse) {
    if (!clients.add(sink, sse)) {
      throw new WebApplicationException(
          Response.status(Response.Status.SERVICE_UNAVAILABLE)
              .header("Retry-After", Integer.toString(RETRY_AFTER))
              .type(MediaType.TEXT_PLAIN_TYPE)
              .entity(refusal(config.maxLiveClients()))
              .build());
    }
  }

  /** The body of a refusal at the cap (here and in {@link LiveAdmission}). */
  static String refusal(int max) {
    return "state follows at most "
        + max
        + " live pages (routewatch.web.max-live-clients); retry in "
        + RETRY_AFTER
        + " s\n";
  }
}
