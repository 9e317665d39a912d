package io.routewatch.cli;

import io.grpc.ManagedChannel;
import io.routewatch.proto.v1.ImportServiceGrpc;
import io.routewatch.proto.v1.JournalFileInfo;
import io.routewatch.proto.v1.ListJournalFilesRequest;
import io.routewatch.proto.v1.ListJournalFilesResponse;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code routewatch journal list}: the collector's live journal files and their time ranges. */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    description = "The collector's live journal (MRT files of its BGP sessions).",
    subcommands = {JournalCommand.ListFiles.class})
final class JournalCommand {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** {@code routewatch journal list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "List the journal's MRT files, oldest first, with the time range of their records and"
              + " whether state acknowledged them whole (bgpdump -m, BGPStream and routewatch mrt"
              + " dump read them).")
  static final class ListFiles implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Override
    public Integer call() throws Exception {
      ManagedChannel ch = Endpoints.channel(endpoints.collector);
      try {
        ListJournalFilesResponse r =
            ImportServiceGrpc.newBlockingStub(ch)
                .withDeadlineAfter(1, TimeUnit.MINUTES)
                .listJournalFiles(ListJournalFilesRequest.getDefaultInstance());
        print(r, System.out);
        System.err.printf("%d files in %s%n", r.getFilesCount(), r.getDir());
        return r.getFilesCount() > 0 ? 0 : Main.EXIT_FINDINGS;
      } finally {
        Endpoints.close(ch);
      }
    }
  }

  /** The table: one row per file, the full path last (to copy). */
  static void print(ListJournalFilesResponse r, PrintStream out) {
    Table t = new Table("first record", "last record", ">records", ">bytes", "state", "path");
    for (JournalFileInfo f : r.getFilesList()) {
      t.row(
          time(f.getFirstRecordMicros()),
          time(f.getLastRecordMicros()),
          f.getRecords(),
          f.getBytes(),
          f.getOpen() ? "open" : f.getAcknowledged() ? "acknowledged" : "unacknowledged",
          f.getPath());
    }
    t.print(out);
  }

  private static String time(long micros) {
    if (micros == 0) {
      return "-";
    }
    return TIME.format(
        Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L));
  }
}
