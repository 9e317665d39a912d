package io.routewatch.cli;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.routewatch.cli.time.Times;
import io.routewatch.proto.v1.Alert;
import io.routewatch.proto.v1.AlertServiceGrpc;
import io.routewatch.proto.v1.ListAlertsRequest;
import io.routewatch.proto.v1.ListAlertsResponse;
import io.routewatch.proto.v1.StreamAlertsRequest;
import io.routewatch.proto.v1.Subject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code routewatch alerts [--follow]}: alert history, or a live tail of fire/resolve transitions.
 */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = {
      "Alert transitions (fired / resolved) from the alert service, oldest first; --follow streams new ones live.",
      "",
      "Examples:",
      "  routewatch alerts --since 2017-10-01",
      "  routewatch alerts --for AS131279 --type NewUpstream --type LostUpstream",
      "  routewatch alerts --follow",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "2:bad usage",
      "3:alert service unreachable",
      "4:alert service refused the request"
    })
final class AlertsCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Option(
      names = {"-f", "--follow"},
      description =
          "stream transitions as they happen (currently firing alerts first) until Ctrl-C")
  boolean follow;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      converter = Times.Converter.class,
      description = "history from this time (default: all)")
  Long since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      converter = Times.Converter.class,
      description = "history up to this time (default: now)")
  Long until;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      description =
          "only this alert type (repeatable): NewUpstream, LostUpstream, UpstreamShareShift, SingleHomed, VisibilityLoss, OriginChange, MoreSpecific, Hijack, RpkiInvalid, RouteLeak, NewNeighbor, FeedStale")
  List<String> types = new ArrayList<>();

  @Option(
      names = "--for",
      paramLabel = "AS|CC",
      description = "only alerts about this origin AS or country")
  String about;

  @Option(
      names = "--limit",
      description = "at most this many transitions (default ${DEFAULT-VALUE})",
      defaultValue = "1000")
  int limit;

  @Option(
      names = "--json",
      description = "JSON output for scripts (one proto3 JSON Alert per line)")
  boolean json;

  @Override
  public Integer call() throws Exception {
    long asn = 0;
    String country = "";
    if (about != null) {
      Subject s = Targets.subject(about);
      switch (s.getTargetCase()) {
        case ASN -> asn = Integer.toUnsignedLong(s.getAsn());
        case COUNTRY -> country = s.getCountry();
        default ->
            throw new IllegalArgumentException("--for takes an ASN or a country, not " + about);
      }
    }
    ManagedChannel ch = Endpoints.channel(endpoints.alert);
    try {
      AlertServiceGrpc.AlertServiceBlockingStub stub = AlertServiceGrpc.newBlockingStub(ch);
      if (follow) {
        return follow(stub, asn, country);
      }
      ListAlertsResponse r =
          stub.withDeadlineAfter(10, TimeUnit.SECONDS)
              .listAlerts(
                  ListAlertsRequest.newBuilder()
                      .setFromMicros(since == null ? 0 : since)
                      .setToMicros(until == null ? 0 : until)
                      .addAllTypes(types)
                      .setAsn((int) asn)
                      .setCountry(country)
                      .setLimit(limit)
                      .build());
      List<Alert> oldestFirst = new ArrayList<>(r.getAlertsList());
      java.util.Collections.reverse(oldestFirst);
      if (json) {
        for (Alert a : oldestFirst) {
          System.out.println(
              com.google.protobuf.util.JsonFormat.printer()
                  .omittingInsignificantWhitespace()
                  .print(a));
        }
      } else if (oldestFirst.isEmpty()) {
        System.out.println("no alerts");
      } else {
        oldestFirst.forEach(a -> System.out.println(line(a)));
      }
      return 0;
    } finally {
      Endpoints.close(ch);
    }
  }

  private int follow(AlertServiceGrpc.AlertServiceBlockingStub stub, long asn, String country)
      throws Exception {
    // No deadline: the stream is meant to run until Ctrl-C; the server pings keep it alive.
    Iterator<Alert> it =
        stub.streamAlerts(
            StreamAlertsRequest.newBuilder()
                .addAllTypes(types)
                .setAsn((int) asn)
                .setCountry(country)
                .setIncludeFiring(true)
                .build());
    try {
      while (it.hasNext()) {
        Alert a = it.next();
        System.out.println(
            json
                ? com.google.protobuf.util.JsonFormat.printer()
                    .omittingInsignificantWhitespace()
                    .print(a)
                : line(a));
        System.out.flush();
      }
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.CANCELLED) {
        return 0;
      }
      throw e;
    }
    return 0;
  }

  /** "2017-10-01 09:12:51Z FIRING critical NewUpstream New upstream AS20485 for AS131279 (KP)". */
  static String line(Alert a) {
    String state =
        switch (a.getState()) {
          case FIRING -> "FIRING";
          case RESOLVED -> "RESOLVED";
          case PENDING -> "PENDING";
          default -> a.getState().name();
        };
    long at = a.getAtMicros() != 0 ? a.getAtMicros() : a.getStartsAtMicros();
    String s =
        String.format(
            "%s  %-8s  %-8s  %-18s  %s",
            Times.human(at), state, a.getSeverity(), a.getType(), a.getSummary());
    if (a.getState() == io.routewatch.proto.v1.AlertState.RESOLVED
        && a.getEndsAtMicros() > a.getStartsAtMicros()) {
      s += " (lasted " + Times.duration(a.getEndsAtMicros() - a.getStartsAtMicros()) + ")";
    }
    return s;
  }
}
