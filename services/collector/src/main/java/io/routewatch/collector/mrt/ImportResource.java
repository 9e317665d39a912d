package io.routewatch.collector.mrt;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.routewatch.proto.v1.ListImportsResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * REST face of MRT imports (the same jobs as gRPC {@code ImportService}, the watched directory's
 * included). JSON is the proto3 JSON mapping of {@code ImportJob} / {@code ListImportsResponse}.
 * Errors are {@code {"error": "..."}}: 400 for a bad request, 403 (with {@code allowedDirs}) for a
 * path outside the import directories, 404 for an unknown job.
 */
@Path("/api/v1/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {
  /** Body of {@code POST /api/v1/imports}: as gRPC {@code StartImportRequest}. */
  public record StartRequest(String path, Double speed, String collector) {}

  /** How long a cancel waits for a running job to stop before it answers. */
  static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

  @Inject ImportJobs jobs;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response start(StartRequest req) {
    if (req == null) {
      return error(400, "body {\"path\": ...} is required");
    }
    try {
      ImportJobRun job =
          jobs.start(req.path(), req.speed() == null ? 0 : req.speed(), req.collector());
      return Response.created(URI.create("/api/v1/imports/" + job.id()))
          .entity(json(job.toProto()))
          .type(MediaType.APPLICATION_JSON)
          .build();
    } catch (ImportDirs.Refused e) {
      return Response.status(403)
          .entity(Map.of("error", e.getMessage(), "allowedDirs", e.allowed()))
          .type(MediaType.APPLICATION_JSON)
          .build();
    } catch (IllegalArgumentException e) {
      return error(400, e.getMessage());
    }
  }

  /**
   * Cancels a queued or running job; answers once it stopped (up to {@link #CANCEL_WAIT}) with the
   * job, CANCELLED (or still RUNNING while it stops, or as it ended if it had ended before).
   */
  @DELETE
  @Path("/{id}")
  public Response cancel(@PathParam("id") String id) throws InterruptedException {
    ImportJobRun job = jobs.cancel(id, CANCEL_WAIT);
    if (job == null) {
      return error(404, "no import job " + id);
    }
    return Response.ok(json(job.toProto()), MediaType.APPLICATION_JSON).build();
  }

  @GET
  public Response list() {
    ListImportsResponse.Builder b = ListImportsResponse.newBuilder();
    jobs.all().forEach(j -> b.addJobs(j.toProto()));
    return Response.ok(json(b), MediaType.APPLICATION_JSON).build();
  }

  @GET
  @Path("/{id}")
  public Response get(@PathParam("id") String id) {
    ImportJobRun job = jobs.get(id);
    if (job == null) {
      return error(404, "no import job " + id);
    }
    return Response.ok(json(job.toProto()), MediaType.APPLICATION_JSON).build();
  }

  private static String json(MessageOrBuilder m) {
    try {
      return JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(m);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Response error(int status, String message) {
    return Response.status(status)
        .entity(Map.of("error", message == null ? "" : message))
        .type(MediaType.APPLICATION_JSON)
        .build();
  }
}
