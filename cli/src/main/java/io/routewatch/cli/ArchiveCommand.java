package io.routewatch.cli;

import io.grpc.ManagedChannel;
import io.routewatch.proto.v1.ArchiveFileInfo;
import io.routewatch.proto.v1.ImportServiceGrpc;
import io.routewatch.proto.v1.ListArchiveFilesRequest;
import io.routewatch.proto.v1.ListArchiveFilesResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code routewatch archive list}: what the public MRT archives hold for a time range. */
@Command(
    name = "archive",
    mixinStandardHelpOptions = true,
    description = "The public MRT archives (RouteViews, RIPE RIS) as the collector sees them.",
    subcommands = {ArchiveCommand.ListFiles.class})
final class ArchiveCommand {
  /** {@code routewatch archive list --collectors … --from … --until … [--type updates|ribs]}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "List the archive files covering a time range, in time order across the collectors.")
  static final class ListFiles implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Option(
        names = "--collectors",
        required = true,
        split = ",",
        paramLabel = "NAMES",
        description = "rrcNN (RIPE RIS), route-views* (RouteViews), comma-separated")
    List<String> collectors;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "TIME",
        description = "ISO 8601 (UTC unless an offset is given) or epoch seconds")
    String from;

    @Option(names = "--until", required = true, paramLabel = "TIME", description = "exclusive")
    String until;

    @Option(
        names = "--type",
        defaultValue = "updates",
        paramLabel = "updates|ribs",
        description = "default: updates")
    String type;

    @Override
    public Integer call() throws Exception {
      ManagedChannel ch = Endpoints.channel(endpoints.collector);
      try {
        ListArchiveFilesResponse r =
            ImportServiceGrpc.newBlockingStub(ch)
                .withDeadlineAfter(5, TimeUnit.MINUTES)
                .listArchiveFiles(
                    ListArchiveFilesRequest.newBuilder()
                        .addAllCollectors(collectors)
                        .setFrom(from)
                        .setUntil(until)
                        .setType(type)
                        .build());
        for (ArchiveFileInfo f : r.getFilesList()) {
          System.out.printf(
              "%s  %-18s %-30s %s%n",
              Instant.ofEpochSecond(f.getStartUnixSeconds()),
              f.getCollector(),
              f.getName(),
              f.getUrl());
        }
        System.err.printf("%d files%n", r.getFilesCount());
        return r.getFilesCount() > 0 ? 0 : Main.EXIT_FINDINGS;
      } finally {
        Endpoints.close(ch);
      }
    }
  }
}
