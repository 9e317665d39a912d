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

/** {@code routewatch import FILE...}: import MRT archives through the collector, with progress. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Import MRT archives into state through the collector.")
final class ImportCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Parameters(
      arity = "1..*",
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

  @Option(names = "--no-progress", description = "no progress bar (summary only)")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    ManagedChannel ch = Endpoints.channel(endpoints.collector);
    int failed = 0;
    try {
      ImportServiceGrpc.ImportServiceBlockingStub stub = ImportServiceGrpc.newBlockingStub(ch);
      for (Path f : files) {
        ImportJob job =
            stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                .startImport(
                    StartImportRequest.newBuilder()
                        .setPath(f.toAbsolutePath().toString())
                        .setSpeed(speed)
                        .setCollector(collectorName == null ? "" : collectorName)
                        .build());
        ProgressBar bar = new ProgressBar(System.err, f.getFileName().toString(), !quiet);
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
