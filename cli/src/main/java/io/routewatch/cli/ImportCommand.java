package io.routewatch.cli;

import io.grpc.ManagedChannel;
import io.routewatch.proto.v1.GetImportRequest;
import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportServiceGrpc;
import io.routewatch.proto.v1.ImportState;
import io.routewatch.proto.v1.StartImportRequest;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code routewatch import FILE...}: import MRT archives through the collector, with progress; or
 * {@code routewatch import --collectors rrc00,route-views2 --from … --until …}: a time range of the
 * public archives (RouteViews, RIS), merged by time across the collectors.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Import MRT archives into state through the collector.")
final class ImportCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Parameters(
      arity = "0..*",
      paramLabel = "FILE",
      description = "MRT files (path as the collector sees it)")
  List<Path> files;

  @Option(
      names = "--speed",
      description = "0 = as fast as possible (default); N = N× the archive's clock")
  double speed;

  @Option(
      names = "--as-collector",
      paramLabel = "NAME",
      description =
          "collector name the events carry (part of each VP's identity); default: derived from the file name")
  String collectorName;

  @Option(
      names = "--collectors",
      paramLabel = "NAMES",
      split = ",",
      description =
          "public-archive collectors to import a time range of (rrcNN, route-views*), comma-separated; needs --from and --until, takes no FILE (--collector is the collector service's host:port)")
  List<String> archiveCollectors;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description =
          "range start (inclusive): ISO 8601, UTC unless an offset is given, or epoch seconds")
  String from;

  @Option(names = "--until", paramLabel = "TIME", description = "range end (exclusive)")
  String until;

  @Option(
      names = "--type",
      paramLabel = "updates|ribs",
      defaultValue = "updates",
      description = "archive files to import (default: updates)")
  String type;

  @Option(names = "--no-progress", description = "no progress bar (summary only)")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    ManagedChannel ch = Endpoints.channel(endpoints.collector);
    int failed = 0;
    try {
      ImportServiceGrpc.ImportServiceBlockingStub stub = ImportServiceGrpc.newBlockingStub(ch);
      List<StartImportRequest> requests = new java.util.ArrayList<>();
      List<String> labels = new java.util.ArrayList<>();
      boolean range = archiveCollectors != null && !archiveCollectors.isEmpty();
      if (range == (files != null && !files.isEmpty())) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this),
            "give either FILE... or --collectors with --from and --until");
      }
      if (range) {
        if (from == null || until == null || collectorName != null) {
          throw new picocli.CommandLine.ParameterException(
              new picocli.CommandLine(this),
              "--collectors needs --from and --until (and takes no --as-collector)");
        }
        requests.add(
            StartImportRequest.newBuilder()
                .addAllArchiveCollectors(archiveCollectors)
                .setArchiveFrom(from)
                .setArchiveUntil(until)
                .setArchiveType(type)
                .setSpeed(speed)
                .build());
        labels.add(String.join(",", archiveCollectors) + " " + from + " to " + until);
      } else {
        for (Path f : files) {
          requests.add(
              StartImportRequest.newBuilder()
                  .setPath(f.toAbsolutePath().toString())
                  .setSpeed(speed)
                  .setCollector(collectorName == null ? "" : collectorName)
                  .build());
          labels.add(f.toString());
        }
      }
      for (int i = 0; i < requests.size(); i++) {
        String f = labels.get(i);
        ImportJob job = stub.withDeadlineAfter(10, TimeUnit.SECONDS).startImport(requests.get(i));
        ProgressBar bar =
            new ProgressBar(System.err, range ? f : Path.of(f).getFileName().toString(), !quiet);
        Iterator<ImportJob> it =
            stub.withDeadlineAfter(24, TimeUnit.HOURS)
                .watchImport(GetImportRequest.newBuilder().setId(job.getId()).build());
        while (it.hasNext()) {
          job = it.next();
          bar.update(job);
        }
        bar.finish(job);
        if (job.getState() != ImportState.DONE) {
          failed++;
        }
        System.out.printf(
            "%s: %s, %,d records, %,d events, %,d errors, %.1f s%n",
            f,
            job.getState(),
            job.getRecords(),
            job.getEvents(),
            job.getErrorCount(),
            job.getElapsedSeconds());
        job.getErrorsList()
            .forEach(
                e ->
                    System.err.printf(
                        "  record %d at offset %d: %s%n",
                        e.getRecord(), e.getOffset(), e.getMessage()));
      }
    } finally {
      Endpoints.close(ch);
    }
    return failed == 0 ? 0 : Main.EXIT_FINDINGS;
  }
}
