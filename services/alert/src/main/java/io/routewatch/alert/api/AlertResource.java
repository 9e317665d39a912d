package io.routewatch.alert.api;

import io.routewatch.alert.pipeline.AlertView;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** REST mirror of StreamAlerts / ListAlerts. Times: RFC 3339 or µs since the epoch. */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {
  @Inject AlertHistoryService history;
  @Inject AlertBus bus;

  /** History of fire/resolve transitions, newest first. */
  @GET
  public List<AlertView> list(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("type") List<String> types,
      @QueryParam("asn") String asn,
      @QueryParam("country") String country,
      @QueryParam("limit") @DefaultValue("0") int limit) {
    return history.list(micros("from", from), micros("to", to), filter(types, asn, country), limit);
  }

  /** Alerts firing now (and pending ones with {@code pending=true}). */
  @GET
  @Path("/active")
  public List<AlertView> active(
      @QueryParam("type") List<String> types,
      @QueryParam("asn") String asn,
      @QueryParam("country") String country,
      @QueryParam("pending") @DefaultValue("false") boolean pending) {
    return history.current(filter(types, asn, country), pending);
  }

  /** Server-sent events: each fire/resolve transition as it commits. */
  @GET
  @Path("/stream")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  public Multi<AlertView> stream(
      @QueryParam("type") List<String> types,
      @QueryParam("asn") String asn,
      @QueryParam("country") String country) {
    AlertFilter f = filter(types, asn, country);
    return Multi.createFrom()
        .emitter(
            em -> {
              AlertBus.Subscription sub = bus.subscribe(f, AlertGrpcService.STREAM_CAPACITY);
              sub.onAvailable(
                  () -> {
                    AlertView v;
                    while ((v = sub.poll()) != null) {
                      em.emit(v);
                    }
                  });
              em.onTermination(sub::close);
            });
  }

  static AlertFilter filter(List<String> types, String asn, String country) {
    long a = 0;
    if (asn != null && !asn.isBlank()) {
      a = io.routewatch.alert.watch.WatchValues.asn(asn);
    }
    return AlertFilter.of(types, a, country);
  }

  static long micros(String name, String v) {
    if (v == null || v.isBlank()) {
      return 0;
    }
    if (v.chars().allMatch(Character::isDigit)) {
      return Long.parseLong(v);
    }
    try {
      Instant i = Instant.parse(v);
      return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " '" + v + "' is neither RFC 3339 (2017-10-01T09:07:51Z) nor µs since the epoch");
    }
  }
}
