package io.routewatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.Subject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Parsing, help and exit codes of the commands, without any service running. */
class CommandsTest {
  @Test
  void targetsAreRecognisedByShape() {
    assertEquals(Subject.newBuilder().setAsn(131279).build(), Targets.subject("AS131279"));
    assertEquals(Subject.newBuilder().setAsn(131279).build(), Targets.subject("131279"));
    assertEquals(Subject.newBuilder().setCountry("KP").build(), Targets.subject("kp"));
    assertEquals(
        Subject.newBuilder().setPrefix("175.45.176.0/24").build(),
        Targets.subject("175.45.176.0/24"));
  }

  @Test
  void everyNewCommandHasHelp() {
    for (String[] cmd :
        new String[][] {
          {"upstreams", "--help"},
          {"visibility", "--help"},
          {"outages", "--help"},
          {"alerts", "--help"},
          {"watch", "add", "--help"},
          {"watch", "ls", "--help"},
          {"plot", "upstreams", "--help"},
          {"scenario", "run", "--help"},
          {"rov", "--help"},
          {"archive", "list", "--help"},
          {"journal", "list", "--help"}
        }) {
      assertEquals(0, Main.run(cmd), String.join(" ", cmd));
    }
  }

  @Test
  void unreachableStateIsExitCode3() {
    // a port nothing listens on: gRPC UNAVAILABLE → 3, one line, no stack trace
    assertEquals(
        Main.EXIT_UNAVAILABLE, Main.run("upstreams", "AS131279", "--state", "127.0.0.1:1"));
  }

  @Test
  void unreachableCollectorIsExitCode3ForJournalList() {
    assertEquals(Main.EXIT_UNAVAILABLE, Main.run("journal", "list", "--collector", "127.0.0.1:1"));
  }

  @Test
  void journalTableShowsTimeRangesStatesAndPaths() {
    var r =
        io.routewatch.proto.v1.ListJournalFilesResponse.newBuilder()
            .setDir("/var/lib/routewatch/journal")
            .addFiles(
                io.routewatch.proto.v1.JournalFileInfo.newBuilder()
                    .setPath("/var/lib/routewatch/journal/updates.20171001.0810")
                    .setBytes(123_456)
                    .setIntervalStartUnixSeconds(1506845400L)
                    .setFirstRecordMicros(1506845698_000_001L)
                    .setLastRecordMicros(1506845699_500_000L)
                    .setRecords(3)
                    .setAcknowledged(true))
            .addFiles(
                io.routewatch.proto.v1.JournalFileInfo.newBuilder()
                    .setPath("/var/lib/routewatch/journal/updates.20171001.0815")
                    .setBytes(99)
                    .setIntervalStartUnixSeconds(1506845700L)
                    .setOpen(true))
            .build();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    JournalCommand.print(r, new PrintStream(buf, true, StandardCharsets.UTF_8));
    java.util.List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("first record"), lines.get(0));
    assertTrue(
        lines
            .get(1)
            .matches(
                "2017-10-01 08:14:58.000Z  2017-10-01 08:14:59.500Z +3 +123456  acknowledged "
                    + " /var/lib/routewatch/journal/updates.20171001.0810"),
        lines.get(1));
    assertTrue(
        lines
            .get(2)
            .matches("- +- +0 +99  open +/var/lib/routewatch/journal/updates.20171001.0815"),
        lines.get(2));
  }

  @Test
  void badInputIsExitCode2() {
    assertEquals(Main.EXIT_USAGE, Main.run("upstreams", "not-an-as"));
    assertEquals(Main.EXIT_USAGE, Main.run("outages", "AS131279", "--since", "yesterday"));
    assertEquals(Main.EXIT_USAGE, Main.run("rov", "KP"));
    // an archive range import needs its range, and no files with it (checked before any call)
    assertEquals(Main.EXIT_USAGE, Main.run("import", "--collector", "127.0.0.1:1"));
    assertEquals(
        Main.EXIT_USAGE,
        Main.run(
            "import",
            "--collectors",
            "rrc00",
            "--from",
            "2008-02-24",
            "--collector",
            "127.0.0.1:1"));
    assertEquals(Main.EXIT_USAGE, Main.run("archive", "list", "--collectors", "rrc00"));
    assertEquals(Main.EXIT_USAGE, Main.run("rov", "AS36561", "--limit", "0"));
    assertEquals(
        Main.EXIT_USAGE,
        Main.run("plot", "upstreams", "AS131279", "--from", "2017-10-01", "-o", "x.gif"));
  }

  @Test
  void upstreamTableShowsNamesSharesAndPeers() {
    var r =
        io.routewatch.proto.v1.GetUpstreamsResponse.newBuilder()
            .setAsn(131279)
            .setPathCount(40)
            .addUpstreams(
                io.routewatch.proto.v1.Upstream.newBuilder()
                    .setAsn(20485)
                    .setVpShare(0.6)
                    .setAddressShare(0.75)
                    .setVpCount(8)
                    .setPeerAsnCount(8)
                    .setSinceMicros(1506860515L * 1_000_000L)
                    .addPeerAsns(3356)
                    .addPeerAsns(1299))
            .addUpstreams(
                io.routewatch.proto.v1.Upstream.newBuilder()
                    .setAsn(4837)
                    .setVpShare(0.4)
                    .setAddressShare(0.25)
                    .setVpCount(10)
                    .setPeerAsnCount(10)
                    .setSinceMicros(1506846600L * 1_000_000L))
            .build();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      UpstreamsCommand.print(Subject.newBuilder().setAsn(131279).build(), r);
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("Upstreams of AS131279 STAR-KP Ryugyong-dong, KP, now"), out);
    assertTrue(out.contains("AS20485   TRANSTELECOM"), out);
    assertTrue(out.contains("60.0 %"), out);
    assertTrue(out.contains("2017-10-01 12:21:55Z  AS3356,AS1299"), out);
  }

  @Test
  void rovTableShowsStatesAndVrps() {
    var r =
        io.routewatch.proto.v1.GetRovResponse.newBuilder()
            .setVrpCount(723_521)
            .setVrpsLoadedMicros(1_753_003_893_000_000L)
            .setValid(1)
            .setInvalidAsn(1)
            .addRoutes(
                io.routewatch.proto.v1.RovRoute.newBuilder()
                    .setPrefix("208.65.153.0/24")
                    .setOrigin(17557)
                    .setState(io.routewatch.proto.v1.RovState.ROV_STATE_INVALID_ASN)
                    .setVpCount(7)
                    .addVrps(
                        io.routewatch.proto.v1.Vrp.newBuilder()
                            .setPrefix("208.65.152.0/22")
                            .setMaxLength(24)
                            .setAsn(36040)))
            .addRoutes(
                io.routewatch.proto.v1.RovRoute.newBuilder()
                    .setPrefix("208.65.152.0/22")
                    .setOriginNone(true)
                    .setState(io.routewatch.proto.v1.RovState.ROV_STATE_NOT_FOUND)
                    .setVpCount(1))
            .build();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      RovCommand.print("AS17557", r);
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(
        out.startsWith(
            "RPKI origin validation of AS17557 (723521 VRPs, loaded 2025-07-20 09:31:33Z)"),
        out);
    assertTrue(out.contains("1 valid, 1 invalid origin, 0 invalid length, 0 not found"), out);
    assertTrue(out.contains("INVALID origin"), out);
    assertTrue(out.contains("208.65.152.0/22-24 AS36040"), out);
    assertTrue(out.contains("NONE (AS_SET)"), out);
  }

  @Test
  void completionScriptIsGenerated() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new java.io.PrintWriter(buf, true, StandardCharsets.UTF_8));
    assertEquals(0, cl.execute("generate-completion"));
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("upstreams"));
  }
}
