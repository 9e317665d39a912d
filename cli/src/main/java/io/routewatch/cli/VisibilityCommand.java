package io.routewatch.cli;

import io.grpc.ManagedChannel;
import io.routewatch.proto.v1.GetVisibilityRequest;
import io.routewatch.proto.v1.GetVisibilityResponse;
import io.routewatch.proto.v1.StateQueryGrpc;
import io.routewatch.proto.v1.Subject;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code routewatch visibility PREFIX|AS|CC}: is it reachable from most of the Internet. */
@Command(
    name = "visibility",
    mixinStandardHelpOptions = true,
    description = {
      "Visibility of a prefix, an origin AS or a country: the share of full-feed VPs with a route.",
      "Visible means above 50 % (IODA's rule).",
      "",
      "Examples:",
      "  routewatch visibility 175.45.176.0/24",
      "  routewatch visibility AS131279",
      "  routewatch visibility KP",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:visible",
      "1:not visible",
      "2:bad usage",
      "3:state unreachable",
      "4:state refused the request"
    })
final class VisibilityCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Parameters(
      paramLabel = "PREFIX|AS|CC",
      description = "a prefix (175.45.176.0/24), an origin AS (AS131279) or a country (KP)")
  String target;

  @Option(
      names = "--json",
      description = "JSON output for scripts (proto3 JSON of GetVisibilityResponse)")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Subject s = Targets.subject(target);
    ManagedChannel ch = Endpoints.channel(endpoints.state);
    try {
      GetVisibilityResponse r =
          StateQueryGrpc.newBlockingStub(ch)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getVisibility(GetVisibilityRequest.newBuilder().setSubject(s).build());
      if (json) {
        Json.print(r);
      } else {
        System.out.printf(
            "%s: %s, seen by %s of full-feed VPs%n",
            Targets.describe(s),
            r.getVisible() ? "VISIBLE" : "NOT VISIBLE",
            Table.percent(r.getVisibility()));
        if (s.getTargetCase() == Subject.TargetCase.PREFIX) {
          System.out.printf(
              "  VPs with a route  %d of %d full-feed VPs%n",
              r.getVpsWithRoute(), r.getFullFeedVps());
          if (r.getOriginsCount() > 0) {
            System.out.println(
                "  origins           "
                    + r.getOriginsList().stream()
                        .map(a -> AsNames.label(Integer.toUnsignedLong(a), 60))
                        .collect(Collectors.joining(", ")));
          }
          if (r.getMoreSpecificsCount() > 0) {
            System.out.println(
                "  more-specifics    " + String.join(", ", r.getMoreSpecificsList()));
          }
        }
      }
      return r.getVisible() ? 0 : Main.EXIT_FINDINGS;
    } finally {
      Endpoints.close(ch);
    }
  }
}
