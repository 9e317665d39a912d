package io.routewatch.cli;

import io.grpc.ManagedChannel;
import io.routewatch.cli.time.Times;
import io.routewatch.proto.v1.GetUpstreamsRequest;
import io.routewatch.proto.v1.GetUpstreamsResponse;
import io.routewatch.proto.v1.StateQueryGrpc;
import io.routewatch.proto.v1.Subject;
import io.routewatch.proto.v1.Upstream;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code routewatch upstreams AS131279|KP [--at T]}: who carries a network or country, with what
 * share.
 */
@Command(
    name = "upstreams",
    mixinStandardHelpOptions = true,
    description = {
      "Upstreams of an origin AS or a country's international upstreams, with VP- and address-weighted shares.",
      "",
      "Examples:",
      "  routewatch upstreams AS131279",
      "  routewatch upstreams KP",
      "  routewatch upstreams AS131279 --at 2017-10-01T09:30Z",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:upstreams found",
      "1:no upstream known (no routes, or only paths without an upstream)",
      "2:bad usage",
      "3:state unreachable",
      "4:state refused the request"
    })
final class UpstreamsCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Parameters(
      paramLabel = "AS|CC",
      description = "origin AS (AS131279 or 131279) or country (ISO 3166 alpha-2, e.g. KP)")
  String target;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      converter = Times.Converter.class,
      description =
          "answer from history at this time (ISO-8601 like 2017-10-01T09:00Z, or epoch seconds); ASN only")
  Long at;

  @Option(
      names = "--json",
      description = "JSON output for scripts (proto3 JSON of GetUpstreamsResponse)")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Subject s = Targets.subject(target);
    GetUpstreamsRequest.Builder req =
        GetUpstreamsRequest.newBuilder().setAtMicros(at == null ? 0 : at);
    switch (s.getTargetCase()) {
      case ASN -> req.setAsn(s.getAsn());
      case COUNTRY -> req.setCountry(s.getCountry());
      default ->
          throw new IllegalArgumentException(
              "upstreams need an ASN or a country, not a prefix: " + target);
    }
    ManagedChannel ch = Endpoints.channel(endpoints.state);
    try {
      GetUpstreamsResponse r =
          StateQueryGrpc.newBlockingStub(ch)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getUpstreams(req.build());
      if (json) {
        Json.print(r);
      } else {
        print(s, r);
      }
      return r.getUpstreamsCount() > 0 ? 0 : Main.EXIT_FINDINGS;
    } finally {
      Endpoints.close(ch);
    }
  }

  static void print(Subject s, GetUpstreamsResponse r) {
    String who =
        s.getTargetCase() == Subject.TargetCase.ASN
            ? AsNames.label(Integer.toUnsignedLong(s.getAsn()), 60)
                + (r.getCountry().isEmpty() ? "" : " (" + r.getCountry() + ")")
            : "country " + s.getCountry();
    String when = r.getAtMicros() == 0 ? "now" : "at " + Times.human(r.getAtMicros());
    System.out.printf("Upstreams of %s, %s%n", who, when);
    if (r.getAtMicros() == 0) {
      System.out.printf(
          "%d (VP, prefix) paths considered, %d without an upstream%n%n",
          r.getPathCount(), r.getPathsWithoutUpstream());
    } else {
      System.out.println("(from history: shares of the last sample at or before that time)");
      System.out.println();
    }
    if (r.getUpstreamsCount() == 0) {
      System.out.println("no upstream known");
      return;
    }
    Table t =
        new Table(
            "UPSTREAM",
            "NAME",
            ">VP SHARE",
            ">ADDR SHARE",
            ">VPS",
            ">PEER ASNS",
            "SINCE",
            "SEEN BY");
    for (Upstream u : r.getUpstreamsList()) {
      long asn = Integer.toUnsignedLong(u.getAsn());
      String name = AsNames.of(asn);
      t.row(
          "AS" + asn,
          name.length() > 40 ? name.substring(0, 39) + "…" : name,
          Table.percent(u.getVpShare()),
          Table.percent(u.getAddressShare()),
          u.getVpCount(),
          u.getPeerAsnCount(),
          Times.human(u.getSinceMicros()),
          peers(u));
    }
    t.print(System.out);
  }

  private static String peers(Upstream u) {
    if (u.getPeerAsnsCount() == 0) {
      return "";
    }
    String list =
        u.getPeerAsnsList().stream()
            .limit(6)
            .map(a -> "AS" + Integer.toUnsignedString(a))
            .collect(Collectors.joining(","));
    return u.getPeerAsnsCount() > 6 ? list + ",…" : list;
  }
}
