package io.routewatch.cli;

import io.grpc.ManagedChannel;
import io.routewatch.cli.time.Times;
import io.routewatch.proto.v1.GetOutagesRequest;
import io.routewatch.proto.v1.GetOutagesResponse;
import io.routewatch.proto.v1.Outage;
import io.routewatch.proto.v1.StateQueryGrpc;
import io.routewatch.proto.v1.Subject;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code routewatch outages AS131279|PREFIX|CC --since T}: outages, open and closed. */
@Command(
    name = "outages",
    mixinStandardHelpOptions = true,
    description = {
      "Outages (visibility below threshold for longer than the hold time) of an origin AS, a prefix or a country.",
      "",
      "Examples:",
      "  routewatch outages AS131279 --since 2017-10-01",
      "  routewatch outages 175.45.176.0/24 --since 1506816000",
      "  routewatch outages KP --since 2017-10-01T09:00Z --json",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no outage open now",
      "1:an outage is open now",
      "2:bad usage",
      "3:state unreachable",
      "4:state refused the request"
    })
final class OutagesCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Parameters(
      paramLabel = "AS|PREFIX|CC",
      description = "an origin AS (AS131279), a prefix (175.45.176.0/24) or a country (KP)")
  String target;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      converter = Times.Converter.class,
      description =
          "outages that were open at or after this time (ISO-8601 or epoch seconds; default: all retained)")
  Long since;

  @Option(
      names = "--json",
      description = "JSON output for scripts (proto3 JSON of GetOutagesResponse)")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Subject s = Targets.subject(target);
    ManagedChannel ch = Endpoints.channel(endpoints.state);
    try {
      GetOutagesResponse r =
          StateQueryGrpc.newBlockingStub(ch)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getOutages(
                  GetOutagesRequest.newBuilder()
                      .setSubject(s)
                      .setSinceMicros(since == null ? 0 : since)
                      .build());
      boolean open = r.getOutagesList().stream().anyMatch(o -> o.getEndMicros() == 0);
      if (json) {
        Json.print(r);
      } else if (r.getOutagesCount() == 0) {
        System.out.printf(
            "%s: no outage%s%n",
            Targets.describe(s), since == null ? "" : " since " + Times.human(since));
      } else {
        System.out.printf(
            "%s: %d outage%s%n%n",
            Targets.describe(s), r.getOutagesCount(), r.getOutagesCount() == 1 ? "" : "s");
        Table t = new Table("SCOPE", "SUBJECT", "START", "END", ">DURATION", ">LOWEST VISIBILITY");
        for (Outage o : r.getOutagesList()) {
          t.row(
              o.getScope(),
              o.getSubject(),
              Times.human(o.getStartMicros()),
              o.getEndMicros() == 0 ? "open" : Times.human(o.getEndMicros()),
              Times.duration(o.getDurationMicros()),
              Table.percent(o.getDepth()));
        }
        t.print(System.out);
      }
      return open ? Main.EXIT_FINDINGS : 0;
    } finally {
      Endpoints.close(ch);
    }
  }
}
