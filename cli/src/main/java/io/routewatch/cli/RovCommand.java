package io.routewatch.cli;

import io.grpc.ManagedChannel;
import io.routewatch.cli.time.Times;
import io.routewatch.proto.v1.GetRovRequest;
import io.routewatch.proto.v1.GetRovResponse;
import io.routewatch.proto.v1.RovRoute;
import io.routewatch.proto.v1.StateQueryGrpc;
import io.routewatch.proto.v1.Vrp;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code routewatch rov PREFIX|AS}: RPKI origin validation (RFC 6811) of the routes state holds.
 */
@Command(
    name = "rov",
    mixinStandardHelpOptions = true,
    description = {
      "RPKI route origin validation (RFC 6811) of the routes state holds for a prefix (and its",
      "more-specifics) or an origin AS, against state's VRP set (routewatch.state.rpki.*).",
      "One row per (prefix, origin) with the VPs that hold it and the VRPs covering the prefix.",
      "",
      "Examples:",
      "  routewatch rov 208.65.152.0/22",
      "  routewatch rov AS36561",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:routes found, none invalid",
      "1:an invalid route, or no route at all",
      "2:bad usage",
      "3:state unreachable, or no VRP set loaded yet",
      "4:state refused the request (e.g. RPKI is off)"
    })
final class RovCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Parameters(
      paramLabel = "PREFIX|AS",
      description = "a prefix (208.65.152.0/22, 2001:db8::/32) or an origin AS (AS36561)")
  String target;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "most rows shown, 1..10000 (counts cover all; default ${DEFAULT-VALUE})",
      defaultValue = "1000")
  int limit;

  @Option(names = "--json", description = "JSON output for scripts (proto3 JSON of GetRovResponse)")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("--limit " + limit + " out of 1..10000");
    }
    GetRovRequest.Builder req = GetRovRequest.newBuilder().setLimit(limit);
    if (Targets.isPrefix(target)) {
      req.setPrefix(target.trim());
    } else if (Targets.isAsn(target)) {
      req.setAsn((int) Targets.asn(target));
    } else {
      throw new IllegalArgumentException(
          "not a prefix or an ASN: '" + target + "' (e.g. 208.65.152.0/22, AS36561)");
    }
    ManagedChannel ch = Endpoints.channel(endpoints.state);
    try {
      GetRovResponse r =
          StateQueryGrpc.newBlockingStub(ch)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .getRov(req.build());
      if (json) {
        Json.print(r);
      } else {
        print(target, r);
      }
      boolean invalid = r.getInvalidAsn() + r.getInvalidLength() > 0;
      return r.getRoutesCount() == 0 || invalid ? Main.EXIT_FINDINGS : 0;
    } finally {
      Endpoints.close(ch);
    }
  }

  static void print(String target, GetRovResponse r) {
    System.out.printf(
        "RPKI origin validation of %s (%d VRPs, loaded %s)%n",
        target.trim(), r.getVrpCount(), Times.human(r.getVrpsLoadedMicros()));
    System.out.printf(
        "(prefix, origin) pairs: %d valid, %d invalid origin, %d invalid length, %d not found%n%n",
        r.getValid(), r.getInvalidAsn(), r.getInvalidLength(), r.getNotFound());
    if (r.getRoutesCount() == 0) {
      System.out.println("no route held");
      return;
    }
    Table t = new Table("PREFIX", "ORIGIN", "STATE", ">VPS", "VRPS");
    for (RovRoute rr : r.getRoutesList()) {
      t.row(
          rr.getPrefix(),
          rr.getOriginNone() ? "NONE (AS_SET)" : "AS" + Integer.toUnsignedString(rr.getOrigin()),
          state(rr),
          rr.getVpCount(),
          vrps(rr));
    }
    t.print(System.out);
    if (r.getTruncated()) {
      System.out.printf("(first %d rows; counts above cover all)%n", r.getRoutesCount());
    }
  }

  private static String state(RovRoute r) {
    return switch (r.getState()) {
      case ROV_STATE_VALID -> "valid";
      case ROV_STATE_INVALID_ASN -> "INVALID origin";
      case ROV_STATE_INVALID_LENGTH -> "INVALID length";
      case ROV_STATE_NOT_FOUND -> "not found";
      default -> "?";
    };
  }

  private static String vrps(RovRoute r) {
    String list =
        r.getVrpsList().stream().limit(4).map(RovCommand::vrp).collect(Collectors.joining(", "));
    return r.getVrpsCount() > 4 ? list + ", …(" + r.getVrpsCount() + ")" : list;
  }

  private static String vrp(Vrp v) {
    return v.getPrefix() + "-" + v.getMaxLength() + " AS" + Integer.toUnsignedString(v.getAsn());
  }
}
