package io.routewatch.state.query;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.routewatch.proto.v1.GetRovRequest;
import io.routewatch.proto.v1.Subject;
import io.routewatch.state.changes.ChangeJournal;
import io.routewatch.state.ingest.BatchApplier;
import io.routewatch.state.request.Subjects;
import io.routewatch.state.rib.RoutingEngine;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.function.Supplier;

/**
 * REST/JSON mirrors of the gRPC queries, for people and curl. JSON is the proto3 JSON mapping of
 * the same messages (described at /q/openapi). Bad arguments are 400 with the reason.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class StateResource {
  @Inject StateQueryService queries;
  @Inject RovQueries rov;
  @Inject BatchApplier applier;
  @Inject ChangeJournal journal;
  @Inject RoutingEngine engine;

  @GET
  @Path("/stats")
  public Response stats(@QueryParam("digest") boolean digest) {
    return json(() -> StateQueryGrpcService.stats(applier, journal, engine, digest));
  }

  /** {@code /api/v1/upstreams/AS131279} or {@code /api/v1/upstreams/KP}; {@code ?at=µs}. */
  @GET
  @Path("/upstreams/{subject}")
  public Response upstreams(@PathParam("subject") String subject, @QueryParam("at") Long at) {
    return json(() -> queries.upstreams(asnOrCountry(subject), at == null ? 0 : at));
  }

  /** {@code /api/v1/prefix?p=175.45.176.0/24} (a slash does not fit a path segment). */
  @GET
  @Path("/prefix")
  public Response prefix(@QueryParam("p") String prefix) {
    return json(() -> queries.prefix(prefix));
  }

  @GET
  @Path("/visibility")
  public Response visibility(
      @QueryParam("prefix") String prefix,
      @QueryParam("asn") String asn,
      @QueryParam("country") String country) {
    return json(() -> queries.visibility(subject(prefix, asn, country)));
  }

  @GET
  @Path("/outages")
  public Response outages(
      @QueryParam("prefix") String prefix,
      @QueryParam("asn") String asn,
      @QueryParam("country") String country,
      @QueryParam("since") Long since) {
    return json(() -> queries.outages(subject(prefix, asn, country), since == null ? 0 : since));
  }

  @GET
  @Path("/resilience/{subject}")
  public Response resilience(@PathParam("subject") String subject) {
    return json(() -> queries.resilience(asnOrCountry(subject)));
  }

  @GET
  @Path("/history/{asn}")
  public Response history(
      @PathParam("asn") String asn, @QueryParam("from") Long from, @QueryParam("to") Long to) {
    return json(
        () -> queries.history(Subjects.asn(asn), from == null ? 0 : from, to == null ? 0 : to));
  }

  /** {@code /api/v1/rov?prefix=208.65.152.0/22} or {@code ?asn=AS36561}; {@code &limit=N}. */
  @GET
  @Path("/rov")
  public Response rov(
      @QueryParam("prefix") String prefix,
      @QueryParam("asn") String asn,
      @QueryParam("limit") Integer limit) {
    return json(
        () -> {
          if ((prefix == null) == (asn == null)) {
            throw new IllegalArgumentException("give exactly one of prefix, asn");
          }
          if (limit != null && (limit < 1 || limit > RovQueries.MAX_LIMIT)) {
            throw new IllegalArgumentException(
                "limit " + limit + " out of 1.." + RovQueries.MAX_LIMIT);
          }
          GetRovRequest.Builder r = GetRovRequest.newBuilder().setLimit(limit == null ? 0 : limit);
          if (prefix != null) {
            r.setPrefix(prefix);
          } else {
            r.setAsn((int) Subjects.asn(asn));
          }
          return rov.rov(r.build());
        });
  }

  static Subject asnOrCountry(String text) {
    if (Subjects.looksLikeAsn(text)) {
      return Subject.newBuilder().setAsn((int) Subjects.asn(text)).build();
    }
    return Subject.newBuilder().setCountry(Subjects.country(text)).build();
  }

  static Subject subject(String prefix, String asn, String country) {
    int given = (prefix != null ? 1 : 0) + (asn != null ? 1 : 0) + (country != null ? 1 : 0);
    if (given != 1) {
      throw new IllegalArgumentException("give exactly one of prefix, asn, country");
    }
    if (prefix != null) {
      return Subject.newBuilder().setPrefix(prefix).build();
    }
    if (asn != null) {
      return Subject.newBuilder().setAsn((int) Subjects.asn(asn)).build();
    }
    return Subject.newBuilder().setCountry(Subjects.country(country)).build();
  }

  private static Response json(Supplier<? extends MessageOrBuilder> call) {
    try {
      String body = JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(call.get());
      return Response.ok(body, MediaType.APPLICATION_JSON).build();
    } catch (IllegalArgumentException e) {
      return Response.status(400)
          .entity(Map.of("error", e.getMessage()))
          .type(MediaType.APPLICATION_JSON)
          .build();
    } catch (io.grpc.StatusRuntimeException e) {
      // RPKI off or sharded: 409; no VRP set yet (or a shard down): 503
      int code = e.getStatus().getCode() == io.grpc.Status.Code.FAILED_PRECONDITION ? 409 : 503;
      return Response.status(code)
          .entity(Map.of("error", String.valueOf(e.getStatus().getDescription())))
          .type(MediaType.APPLICATION_JSON)
          .build();
    } catch (InvalidProtocolBufferException e) {
      return Response.serverError().entity(Map.of("error", e.getMessage())).build();
    }
  }
}
