package io.routewatch.cli.scenario;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.routewatch.cli.time.Times;
import io.routewatch.proto.v1.AddWatchRequest;
import io.routewatch.proto.v1.Alert;
import io.routewatch.proto.v1.AlertServiceGrpc;
import io.routewatch.proto.v1.GetStatsRequest;
import io.routewatch.proto.v1.GetStatusRequest;
import io.routewatch.proto.v1.GetUpstreamsRequest;
import io.routewatch.proto.v1.GetUpstreamsResponse;
import io.routewatch.proto.v1.ListAlertsRequest;
import io.routewatch.proto.v1.StateQueryGrpc;
import io.routewatch.proto.v1.Upstream;
import io.routewatch.proto.v1.WatchEntry;
import io.routewatch.proto.v1.WatchKind;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Plays a scenario through real ExaBGP into the collector and checks the outcome: installs the
 * watch list (durations compressed), starts one ExaBGP with a session per VP, writes the API
 * commands into its FIFO at the compressed times, samples shares from state at the expected times,
 * watches Alertmanager, and finally compares the alert service's history with the expectations
 * ({@link AlertMatcher}).
 *
 * <p>VPs whose sessions come up later ({@code up:}) are started as one more ExaBGP process per
 * distinct time ({@link Timeline.SessionGroup}) at that compressed time, with their own
 * configuration, FIFO and log; their table (the timeline's routes up to then) is in the FIFO before
 * ExaBGP starts, so it goes out in the updates before End-of-RIB, as a router sends its table on a
 * new session.
 */
public final class ScenarioRunner {
  /** Where things are and how to run. */
  public record Options(
      double speed,
      String collectorAddress,
      int collectorBgpPort,
      String state,
      String alert,
      String alertmanagerUrl,
      String exabgp,
      Path workDir,
      long sessionWaitMillis,
      long tailMillis) {}

  /** Everything a run found. */
  public record Report(
      AlertMatcher.Result alerts,
      List<AlertMatcher.Observed> alertmanager,
      List<ShareCheck> shares,
      long runStartMicros) {
    public boolean passed() {
      return alerts.passed() && shares.stream().allMatch(ShareCheck::ok);
    }
  }

  public record ShareCheck(Scenario.ExpectedShare expected, double observed, boolean ok) {}

  private final Scenario sc;
  private final Options opt;
  private final Timeline tl;
  private final PrintStream log;
  private boolean keepSessions;

  /** The running ExaBGP processes (group 0 first); read by the shutdown hook. */
  private final List<Process> exabgps = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Pipe capacity on Linux: a late group's table must fit before ExaBGP starts reading it. */
  static final int FIFO_CAPACITY = 65_536;

  private volatile boolean stopped;

  public ScenarioRunner(Scenario scenario, Options options, PrintStream log) {
    this.sc = scenario;
    this.opt = options;
    this.tl = new Timeline(scenario, options.speed());
    this.log = log;
  }

  /**
   * Leave ExaBGP's sessions up after the run (the final picture stays in state, as after a real
   * day) until {@link #stopSessions}; otherwise the run ends with the sessions going down.
   */
  public ScenarioRunner keepSessions(boolean keep) {
    this.keepSessions = keep;
    return this;
  }

  /**
   * Stops every ExaBGP process (their sessions go down: PEER_DOWN for every VP); a session group
   * not started yet is not started any more.
   */
  public void stopSessions() {
    stopped = true;
    for (Process exa : exabgps) {
      if (exa.isAlive()) {
        exa.destroy();
      }
    }
    for (Process exa : exabgps) {
      try {
        if (!exa.waitFor(5, TimeUnit.SECONDS)) {
          exa.destroyForcibly();
        }
      } catch (InterruptedException e) {
        exa.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  public Timeline timeline() {
    return tl;
  }

  /** Watch-list overrides with durations (hold, clear, auto-resolve) compressed to wall clock. */
  public Map<String, String> compressedOverrides(Map<String, String> in) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : in.entrySet()) {
      String name = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
      boolean duration = Set.of("hold", "clear", "auto-resolve").contains(name);
      out.put(
          e.getKey(),
          duration
              ? tl.compressIso(ScenarioParser.duration(e.getValue(), e.getKey()))
              : e.getValue());
    }
    return out;
  }

  /**
   * State settings for this scenario with durations compressed, as environment variables
   * (ROUTEWATCH_STATE_ENGINE_OUTAGE_HOLD=PT0.166S …) for whoever starts state.
   */
  public static Map<String, String> serviceEnv(Scenario s, double speed) {
    return serviceEnv(s, speed, null);
  }

  /**
   * As above; a scenario with {@code vrps} has them written to {@code dir}/vrps.json (rpki-client
   * JSON; a new temporary directory when {@code dir} is null) and state pointed at that file with
   * ROUTEWATCH_STATE_RPKI_FILE.
   */
  public static Map<String, String> serviceEnv(Scenario s, double speed, Path dir) {
    Map<String, String> env = serviceSettings(s, speed);
    if (!s.vrps().isEmpty()) {
      try {
        Path d = dir != null ? dir : Files.createTempDirectory("routewatch-scenario-vrps-");
        Files.createDirectories(d);
        Path f = d.resolve("vrps.json");
        Files.writeString(f, vrpJson(s.vrps()));
        env.put("ROUTEWATCH_STATE_RPKI_FILE", f.toAbsolutePath().toString());
      } catch (IOException e) {
        throw new UncheckedIOException("writing the scenario's VRPs: " + e.getMessage(), e);
      }
    }
    return env;
  }

  /** rpki-client's JSON ({@code -j}): {@code {"roas": [{"asn", "prefix", "maxLength", "ta"}]}}. */
  static String vrpJson(List<Scenario.Vrp> vrps) {
    StringBuilder b = new StringBuilder("{\"roas\": [\n");
    for (int i = 0; i < vrps.size(); i++) {
      Scenario.Vrp v = vrps.get(i);
      b.append("  {\"asn\": ")
          .append(v.asn())
          .append(", \"prefix\": \"")
          .append(v.prefix())
          .append("\", \"maxLength\": ")
          .append(v.maxLength())
          .append(", \"ta\": \"scenario\"}")
          .append(i + 1 < vrps.size() ? ",\n" : "\n");
    }
    return b.append("]}\n").toString();
  }

  private static Map<String, String> serviceSettings(Scenario s, double speed) {
    Timeline tl = new Timeline(s, speed);
    Map<String, String> env = new TreeMap<>();
    for (Map.Entry<String, String> e : s.serviceConfig().entrySet()) {
      String v = e.getValue();
      if (v.matches("(\\d+(ms|h|m|s))+|P.*")) {
        v = tl.compressIso(ScenarioParser.duration(v, e.getKey()));
      }
      env.put(e.getKey().toUpperCase().replace('.', '_').replace('-', '_'), v);
    }
    return env;
  }

  public Report run() throws Exception {
    Files.createDirectories(opt.workDir());
    if (!sc.watchAfterBaseline()) {
      installWatch();
    }
    // every group's FIFO and configuration up front (what `scenario exabgp-config` prints)
    List<Timeline.SessionGroup> groups = tl.sessionGroups();
    for (Timeline.SessionGroup g : groups) {
      Path fifo = ExaBgpConfig.groupFile(opt.workDir(), g, "feed", ".fifo");
      Files.deleteIfExists(fifo);
      exec("mkfifo", "-m", "0666", fifo.toString());
      Files.writeString(
          ExaBgpConfig.groupFile(opt.workDir(), g, "exabgp", ".conf"),
          ExaBgpConfig.render(sc, g, opt.collectorAddress(), opt.collectorBgpPort(), fifo));
    }
    OutputStream[] feeds = new OutputStream[groups.size()];
    AlertmanagerWatcher am = null;
    ManagedChannel stateCh = channel(opt.state());
    ManagedChannel alertCh = channel(opt.alert());
    try {
      feeds[0] = startGroup(groups.get(0), List.of());
      am =
          opt.alertmanagerUrl() == null ? null : new AlertmanagerWatcher(opt.alertmanagerUrl(), 50);
      List<Timeline.Due> due = tl.schedule();
      // The scenario is about a monitor that has been running: state must report the baseline
      // as changes (after its warm-up), or the alert service never hears of AS4837 and takes the
      // first change it sees for the baseline (see docs/alerts.md, "cold start").
      awaitWarm(stateCh);
      // the first step (the baseline) goes out at once; the clock starts when state holds it all
      long baselineSentMicros = System.currentTimeMillis() * 1000L;
      // the baseline is every step at the first step's time (one per path, per family, …)
      int baselineSteps = 0;
      int baselinePaths = 0;
      while (baselineSteps < due.size()
          && due.get(baselineSteps).scenarioMicros() == due.get(0).scenarioMicros()) {
        send(feeds, groups, due.get(baselineSteps));
        baselinePaths += due.get(baselineSteps).commands().size();
        baselineSteps++;
      }
      awaitBaseline(stateCh, baselinePaths);
      if (sc.watchAfterBaseline()) {
        // first sight of a network that has been there: the alert service has worked off the
        // baseline's changes (it seeds a view only then), so the view is state's whole picture
        awaitAlertCaughtUp(stateCh, alertCh);
        installWatch();
      }
      // One instant for both clocks: the steps are played on startNanos, observations (alerts,
      // samples) are mapped back on runStartMicros. Taking startNanos after starting the
      // Alertmanager watcher (its first poll) shifted every step ~1 s late against the mapping.
      long startNanos = System.nanoTime() - tl.wallMillis(due.get(0).scenarioMicros()) * 1_000_000L;
      long runStartMicros =
          System.currentTimeMillis() * 1000L - tl.wallMillis(due.get(0).scenarioMicros()) * 1000L;
      if (am != null) {
        // what a user sees: each alert as Alertmanager shows it, at its startsAt / endsAt on the
        // scenario's clock (Alertmanager may list it a moment later)
        am.onTransition(
            a ->
                log.printf(
                    "  %s  ALERT %-8s %-20s %s%s%n",
                    Times.human(
                        sc.startMicros()
                            + (long)
                                (((a.state().equals("FIRING")
                                            ? a.startsAtMicros()
                                            : a.endsAtMicros() > 0
                                                ? a.endsAtMicros()
                                                : a.atMicros())
                                        - runStartMicros)
                                    * tl.speed())),
                    a.state(),
                    a.type(),
                    alertLabels(a.labels()),
                    a.summary().isEmpty() ? "" : "  \"" + a.summary() + "\""));
        am.start();
      }
      log.printf(
          "scenario %s: %d steps, %d VPs, speed %.0f× (1 scenario hour = %.1f s)%s%n",
          sc.name(),
          due.size(),
          sc.vps().size(),
          tl.speed(),
          3600 / tl.speed(),
          groups.size() == 1
              ? ""
              : ", sessions coming up in " + groups.size() + " groups (one ExaBGP each)");
      // interleave session starts, steps and share samples in time order (a session group first:
      // the steps at its time are already in its table)
      List<Object[]> agenda = new ArrayList<>();
      for (Timeline.SessionGroup g : groups.subList(1, groups.size())) {
        agenda.add(new Object[] {tl.wallMillis(g.upMicros()), g});
      }
      for (int i = baselineSteps; i < due.size(); i++) {
        agenda.add(new Object[] {due.get(i).wallMillis(), due.get(i)});
      }
      for (Scenario.ExpectedShare s : sc.shares()) {
        agenda.add(new Object[] {tl.wallMillis(s.atMicros()), s});
      }
      agenda.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
      List<ShareCheck> shares = new ArrayList<>();
      for (Object[] item : agenda) {
        sleepUntil(startNanos, (Long) item[0]);
        if (item[1] instanceof Timeline.SessionGroup g) {
          if (stopped) {
            break;
          }
          List<String> table = tl.initialTable(g);
          feeds[g.index()] = startGroup(g, table);
          log.printf(
              "  %s  sessions up: %-31s %d routes in their tables (+%.2f s wall, ExaBGP %d)%n",
              Times.human(g.upMicros()),
              String.join(", ", g.names()),
              table.size(),
              (System.nanoTime() - startNanos) / 1e9,
              g.index());
        } else if (item[1] instanceof Timeline.Due d) {
          send(feeds, groups, d);
          log.printf(
              "  %s  %-40s %d updates%n",
              Times.human(d.scenarioMicros()), d.note(), d.commands().size());
        } else if (item[1] instanceof Scenario.ExpectedShare s) {
          double got = share(stateCh, s.origin() == 0 ? sc.origin() : s.origin(), s.upstream());
          boolean ok = Math.abs(got - s.vpShare()) <= s.tolerance() + 1e-9;
          shares.add(new ShareCheck(s, got, ok));
          log.printf(
              "  %s  share of AS%d%s %.1f %% (expected %.1f %% ± %.1f) %s%n",
              Times.human(s.atMicros()),
              s.upstream(),
              s.origin() == 0 ? "" : " for AS" + s.origin(),
              got * 100,
              s.vpShare() * 100,
              s.tolerance() * 100,
              ok ? "ok" : "WRONG");
        }
      }
      long lastDue =
          sc.alerts().stream()
              .mapToLong(Scenario.ExpectedAlert::dueMicros)
              .max()
              .orElse(sc.endMicros());
      sleepUntil(
          startNanos,
          Math.max(tl.wallMillis(sc.endMicros()), tl.wallMillis(lastDue)) + opt.tailMillis());
      List<AlertMatcher.Observed> observed = history(alertCh, runStartMicros);
      AlertMatcher.Result result =
          AlertMatcher.match(
              sc.alerts(),
              observed,
              runStartMicros,
              due.get(0).scenarioMicros(),
              baselineSentMicros,
              tl);
      return new Report(result, am == null ? List.of() : am.transitions(), shares, runStartMicros);
    } finally {
      for (OutputStream f : feeds) {
        if (f != null) {
          f.close();
        }
      }
      if (am != null) {
        am.close();
      }
      stateCh.shutdownNow();
      alertCh.shutdownNow();
      if (!keepSessions) {
        stopSessions();
      }
    }
  }

  private static String alertLabels(Map<String, String> labels) {
    StringBuilder b = new StringBuilder();
    labels.forEach(
        (k, v) -> {
          if (!k.equals("alertname") && !k.equals("severity")) {
            b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v);
          }
        });
    return b.toString();
  }

  private void installWatch() {
    ManagedChannel ch = channel(opt.alert());
    try {
      AlertServiceGrpc.AlertServiceBlockingStub stub = AlertServiceGrpc.newBlockingStub(ch);
      for (Scenario.Watch w : sc.watch()) {
        WatchKind kind =
            w.value().contains("/")
                ? WatchKind.PREFIX
                : w.value().matches("(?i)(as)?\\d+") ? WatchKind.ASN : WatchKind.COUNTRY;
        stub.withDeadlineAfter(10, TimeUnit.SECONDS)
            .addWatch(
                AddWatchRequest.newBuilder()
                    .setEntry(
                        WatchEntry.newBuilder()
                            .setKind(kind)
                            .setValue(w.value())
                            .putAllOverrides(compressedOverrides(w.overrides()))
                            .setDescription(w.description()))
                    .build());
      }
    } finally {
      ch.shutdownNow();
    }
  }

  /**
   * Starts one session group's ExaBGP: opens its FIFO read-write (no wait for the reader), writes
   * the group's table into it, then starts ExaBGP, whose API process finds the table there before
   * the sessions are established — ExaBGP 4.2 puts it in the sessions' initial updates, ahead of
   * End-of-RIB.
   *
   * @return the FIFO, for the group's later steps
   */
  private OutputStream startGroup(Timeline.SessionGroup g, List<String> table) throws IOException {
    Path fifo = ExaBgpConfig.groupFile(opt.workDir(), g, "feed", ".fifo");
    StringBuilder b = new StringBuilder();
    table.forEach(c -> b.append(c).append('\n'));
    byte[] bytes = b.toString().getBytes(StandardCharsets.US_ASCII);
    if (bytes.length > FIFO_CAPACITY) {
      throw new IllegalStateException(
          "session group "
              + g.index()
              + " ("
              + String.join(", ", g.names())
              + "): its table is "
              + bytes.length
              + " bytes, more than a FIFO holds before ExaBGP reads it ("
              + FIFO_CAPACITY
              + ")");
    }
    // O_RDWR: opening a FIFO write-only would block until ExaBGP's `cat` opens it
    java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            fifo, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
    OutputStream feed = java.nio.channels.Channels.newOutputStream(ch);
    feed.write(bytes);
    feed.flush();
    exabgps.add(
        startExaBgp(
            ExaBgpConfig.groupFile(opt.workDir(), g, "exabgp", ".conf"),
            ExaBgpConfig.groupFile(opt.workDir(), g, "exabgp", ".log")));
    if (stopped) {
      stopSessions();
    }
    return feed;
  }

  private Process startExaBgp(Path conf, Path logFile) throws IOException {
    List<String> cmd = new ArrayList<>();
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      // ExaBGP refuses nothing as root, but a scripted feed has no business running as root
      cmd.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
      exec("chmod", "0755", opt.workDir().toString());
      exec("chmod", "0644", conf.toString());
      // nobody must reach the work dir: ExaBGP exits 1 without a word on a config it cannot read
      for (Path d = opt.workDir().toAbsolutePath().getParent(); d != null; d = d.getParent()) {
        if (!Files.getPosixFilePermissions(d)
            .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
          throw new IOException(
              "ExaBGP runs as nobody, which cannot reach "
                  + opt.workDir()
                  + " ("
                  + d
                  + " is not o+x)");
        }
      }
    }
    cmd.addAll(List.of(opt.exabgp(), conf.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    Map<String, String> env = pb.environment();
    env.put("exabgp_daemon_daemonize", "false");
    env.put("exabgp_log_destination", "stdout");
    env.put("exabgp_api_cli", "false");
    env.put("exabgp_daemon_user", "nobody");
    env.put("exabgp_tcp_bind", "");
    // ExaBGP's reactor runs a loop per `speed` seconds (1.0 by default), and API commands wait for
    // it: up to 1 s of lag per step, 12 scenario minutes at 720×. A tenth of a second keeps steps
    // within ~1 scenario minute of their time.
    env.put("exabgp_reactor_speed", "0.1");
    return pb.start();
  }

  /** A step's commands, each into the FIFO of its VP's session group. */
  private static void send(OutputStream[] feeds, List<Timeline.SessionGroup> groups, Timeline.Due d)
      throws IOException {
    for (Timeline.SessionGroup g : groups) {
      List<String> cmds = d.commands(g);
      if (cmds.isEmpty()) {
        continue;
      }
      if (feeds[g.index()] == null) {
        throw new IllegalStateException(
            d.note() + ": commands for session group " + g.index() + " before it is up");
      }
      StringBuilder b = new StringBuilder();
      cmds.forEach(c -> b.append(c).append('\n'));
      feeds[g.index()].write(b.toString().getBytes(StandardCharsets.US_ASCII));
      feeds[g.index()].flush();
    }
  }

  /** Waits until every (VP, prefix) of the baseline is in state: the sessions are up and loaded. */
  private void awaitWarm(ManagedChannel ch) throws InterruptedException {
    long deadline = System.currentTimeMillis() + opt.sessionWaitMillis();
    while (System.currentTimeMillis() < deadline) {
      exabgpAlive();
      try {
        if (StateQueryGrpc.newBlockingStub(ch)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .getStats(GetStatsRequest.getDefaultInstance())
            .getWarm()) {
          return;
        }
      } catch (RuntimeException e) {
        // state busy or not up yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "state not warm after "
            + opt.sessionWaitMillis()
            + " ms (its warm-up starts with"
            + " the first event: are the BGP sessions up? see "
            + opt.workDir().resolve("exabgp.log")
            + ")");
  }

  /**
   * Waits until the baseline of the sessions up at start ({@code want} (VP, prefix) paths) is in
   * state; the baseline's routes of VPs that come up later are not counted: they are in those VPs'
   * tables.
   */
  private void awaitBaseline(ManagedChannel ch, int want) throws InterruptedException {
    long deadline = System.currentTimeMillis() + opt.sessionWaitMillis();
    int have = 0;
    while (System.currentTimeMillis() < deadline) {
      exabgpAlive();
      try {
        have = 0;
        for (long origin : sc.origins()) {
          have +=
              StateQueryGrpc.newBlockingStub(ch)
                  .withDeadlineAfter(5, TimeUnit.SECONDS)
                  .getUpstreams(GetUpstreamsRequest.newBuilder().setAsn((int) origin).build())
                  .getPathCount();
        }
        if (have >= want) {
          return;
        }
      } catch (RuntimeException e) {
        // state busy or not up yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "baseline not in state after "
            + opt.sessionWaitMillis()
            + " ms: "
            + have
            + " of "
            + want
            + " (VP, prefix) paths; are the BGP sessions up? see "
            + opt.workDir().resolve("exabgp.log"));
  }

  /**
   * Waits until the alert service has handled every change state journaled (its last change
   * sequence at or past state's).
   */
  private void awaitAlertCaughtUp(ManagedChannel stateCh, ManagedChannel alertCh)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + opt.sessionWaitMillis();
    long st = 0;
    long al = 0;
    while (System.currentTimeMillis() < deadline) {
      try {
        st =
            StateQueryGrpc.newBlockingStub(stateCh)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .getStats(GetStatsRequest.getDefaultInstance())
                .getLastChangeSequence();
        al =
            AlertServiceGrpc.newBlockingStub(alertCh)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .getStatus(GetStatusRequest.getDefaultInstance())
                .getLastChangeSequence();
        if (al >= st) {
          return;
        }
      } catch (RuntimeException e) {
        // busy
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "the alert service did not catch up with state's changes after "
            + opt.sessionWaitMillis()
            + " ms: handled "
            + al
            + " of "
            + st);
  }

  /**
   * No waiting a minute for sessions that cannot come: ExaBGP exited (bad config, unreadable file).
   */
  private void exabgpAlive() {
    List<Timeline.SessionGroup> groups = tl.sessionGroups();
    for (int i = 0; i < exabgps.size(); i++) {
      Process exa = exabgps.get(i);
      if (!exa.isAlive()) {
        throw new IllegalStateException(
            "ExaBGP exited with code "
                + exa.exitValue()
                + "; see "
                + ExaBgpConfig.groupFile(opt.workDir(), groups.get(i), "exabgp", ".log"));
      }
    }
  }

  private double share(ManagedChannel ch, long origin, long upstream) {
    GetUpstreamsResponse r =
        StateQueryGrpc.newBlockingStub(ch)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .getUpstreams(GetUpstreamsRequest.newBuilder().setAsn((int) origin).build());
    for (Upstream u : r.getUpstreamsList()) {
      if (Integer.toUnsignedLong(u.getAsn()) == upstream) {
        return u.getVpShare();
      }
    }
    return 0;
  }

  private List<AlertMatcher.Observed> history(ManagedChannel ch, long fromMicros) {
    List<AlertMatcher.Observed> out = new ArrayList<>();
    for (Alert a :
        AlertServiceGrpc.newBlockingStub(ch)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .listAlerts(
                ListAlertsRequest.newBuilder()
                    .setFromMicros(fromMicros - 60_000_000L)
                    .setLimit(10_000)
                    .build())
            .getAlertsList()) {
      Map<String, String> labels = new TreeMap<>(a.getLabelsMap());
      out.add(
          new AlertMatcher.Observed(
              a.getType(),
              a.getState().name(),
              labels,
              a.getStartsAtMicros(),
              a.getEndsAtMicros(),
              a.getAtMicros(),
              a.getSummary()));
    }
    return out;
  }

  private static void sleepUntil(long startNanos, long wallMillis) throws InterruptedException {
    long wait = startNanos + wallMillis * 1_000_000L - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private static ManagedChannel channel(String hostPort) {
    int c = hostPort.lastIndexOf(':');
    return ManagedChannelBuilder.forAddress(
            hostPort.substring(0, c), Integer.parseInt(hostPort.substring(c + 1)))
        .usePlaintext()
        .build();
  }

  private static void exec(String... cmd) throws IOException {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
