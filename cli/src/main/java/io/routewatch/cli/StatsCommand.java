package io.routewatch.cli;

import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.routewatch.proto.v1.GetStatsRequest;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.StateQueryGrpc;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code routewatch stats}: what state holds. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Show what state holds: routes, VPs, events applied.")
final class StatsCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Option(names = "--json", description = "JSON output for scripts")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ManagedChannel ch = Endpoints.channel(endpoints.state);
    try {
      GetStatsResponse r =
          StateQueryGrpc.newBlockingStub(ch)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getStats(GetStatsRequest.getDefaultInstance());
      if (json) {
        System.out.println(JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(r));
      } else {
        System.out.printf("routes            %,d%n", r.getRoutes());
        System.out.printf("vantage points    %,d%n", r.getVantagePoints());
        System.out.printf(
            "events applied    %,d (%,d batches)%n", r.getEventsApplied(), r.getBatchesApplied());
        System.out.printf("  announcements   %,d%n", r.getAnnouncements());
        System.out.printf("  withdrawals     %,d%n", r.getWithdrawals());
        System.out.printf("  RIB entries     %,d%n", r.getRibEntries());
        System.out.printf("  state changes   %,d%n", r.getStateChanges());
        System.out.printf("change journal at %,d%n", r.getLastChangeSequence());
      }
      return 0;
    } finally {
      Endpoints.close(ch);
    }
  }
}
