package io.routewatch.collector.archive;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.routewatch.collector.mrt.ImportJobRun;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * REST face of the public archives: {@code GET /api/v1/archive/files?collector=rrc00,route-views2
 * &from=…&until=…&type=updates} lists what exists, {@code POST /api/v1/archive/imports} imports a
 * range (the job is an ordinary import job: {@code GET /api/v1/imports/{id}}), {@code GET
 * /api/v1/archive/follow} shows follow mode per collector (newest file imported, lag, next poll;
 * times in ISO 8601, {@code "enabled": false} when off). Errors are {@code {"error": "..."}}: 400
 * for a bad request, 502 when the archive could not be listed.
 */
@Path("/api/v1/archive")
@Produces(MediaType.APPLICATION_JSON)
public class ArchiveResource {
  /** Body of {@code POST /api/v1/archive/imports}; times as ISO 8601 or epoch seconds. */
  public record RangeRequest(
      List<String> collectors, String from, String until, String type, Double speed) {}

  @Inject ArchiveImports archive;
  @Inject ArchiveFollowService follow;

  @GET
  @Path("/follow")
  public Response follow() {
    ArchiveFollower f = follow.follower();
    if (f == null) {
      return Response.ok(Map.of("enabled", false, "collectors", List.of())).build();
    }
    List<Map<String, Object>> out =
        f.status().stream()
            .map(
                s -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("collector", s.collector());
                  m.put("since", ArchiveTime.format(s.since()));
                  m.put("newestFile", s.newestFile());
                  m.put("newestEnd", s.newestEnd() < 0 ? null : ArchiveTime.format(s.newestEnd()));
                  m.put("lagSeconds", s.lagSeconds());
                  m.put("staleAfterSeconds", s.staleAfterSeconds());
                  m.put("stale", s.stale());
                  m.put("importing", s.importing());
                  m.put("pending", s.pending());
                  m.put("filesImported", s.filesImported());
                  m.put("lastPoll", s.lastPoll() < 0 ? null : ArchiveTime.format(s.lastPoll()));
                  m.put("nextPoll", s.nextPoll() < 0 ? null : ArchiveTime.format(s.nextPoll()));
                  m.put("lastError", s.lastError());
                  return m;
                })
            .toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("enabled", true);
    body.put("collectors", out);
    return Response.ok(body, MediaType.APPLICATION_JSON).build();
  }

  @GET
  @Path("/files")
  public Response list(
      @QueryParam("collector") String collector,
      @QueryParam("from") String from,
      @QueryParam("until") String until,
      @QueryParam("type") String type)
      throws InterruptedException {
    try {
      List<String> collectors = split(collector);
      ArchiveLayout.Kind kind = ArchiveLayout.Kind.parse(type == null ? "updates" : type);
      List<ArchiveFile> files =
          archive.list(
              collectors, kind, ArchiveTime.parse("from", from), ArchiveTime.parse("until", until));
      List<Map<String, Object>> out =
          files.stream()
              .map(
                  f -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("collector", f.collector());
                    m.put("type", f.kind().name().toLowerCase(java.util.Locale.ROOT));
                    m.put("name", f.name());
                    m.put("url", f.url());
                    m.put("start", ArchiveTime.format(f.epochSecond()));
                    m.put("end", ArchiveTime.format(f.endEpochSecond()));
                    return m;
                  })
              .toList();
      return Response.ok(Map.of("files", out), MediaType.APPLICATION_JSON).build();
    } catch (IllegalArgumentException e) {
      return error(400, e.getMessage());
    } catch (IOException e) {
      return error(502, e.getMessage());
    }
  }

  @POST
  @Path("/imports")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response start(RangeRequest req) {
    if (req == null) {
      return error(400, "body {\"collectors\": [...], \"from\": ..., \"until\": ...} is required");
    }
    try {
      ImportJobRun job =
          archive.start(
              req.collectors() == null ? List.of() : req.collectors(),
              ArchiveLayout.Kind.parse(req.type() == null ? "updates" : req.type()),
              ArchiveTime.parse("from", req.from()),
              ArchiveTime.parse("until", req.until()),
              req.speed() == null ? 0 : req.speed());
      return Response.created(URI.create("/api/v1/imports/" + job.id()))
          .entity(JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(job.toProto()))
          .type(MediaType.APPLICATION_JSON)
          .build();
    } catch (IllegalArgumentException e) {
      return error(400, e.getMessage());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> split(String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("collector is required (comma-separated)");
    }
    return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  private static Response error(int status, String message) {
    return Response.status(status)
        .entity(Map.of("error", message == null ? "" : message))
        .type(MediaType.APPLICATION_JSON)
        .build();
  }
}
