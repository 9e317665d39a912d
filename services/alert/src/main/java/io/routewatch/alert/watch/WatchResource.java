package io.routewatch.alert.watch;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * REST for the watch list: {@code GET /api/v1/watch}, {@code POST /api/v1/watch} with {@code
 * {"kind":"ASN","value":"AS131279","overrides":{"min-peer-asns":"1"}}} (upsert), {@code DELETE
 * /api/v1/watch?kind=PREFIX&value=175.45.176.0/22}.
 */
@Path("/api/v1/watch")
@Produces(MediaType.APPLICATION_JSON)
public class WatchResource {
  @Inject WatchService watch;

  /** Request body of POST. */
  public record WatchRequest(
      String kind, String value, Map<String, String> overrides, String description) {}

  @GET
  public List<WatchEntry> list() {
    return watch.list();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response add(WatchRequest r) {
    if (r == null) {
      throw new IllegalArgumentException(
          "body must be {\"kind\": \"ASN|PREFIX|COUNTRY\", \"value\": ...}");
    }
    WatchEntry e =
        watch.upsert(
            WatchService.validate(r.kind(), r.value(), r.overrides(), r.description(), "api"));
    return Response.ok(e).build();
  }

  @DELETE
  public Response remove(@QueryParam("kind") String kind, @QueryParam("value") String value) {
    WatchEntry e = WatchService.validate(kind, value, null, "", "api");
    if (!watch.remove(e.kind(), e.value())) {
      return Response.status(404)
          .entity(Map.of("error", e.kind() + " " + e.value() + " is not on the watch list"))
          .build();
    }
    return Response.noContent().build();
  }
}
