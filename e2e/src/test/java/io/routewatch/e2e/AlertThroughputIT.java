package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.ChangeKind;
import io.routewatch.proto.v1.StateChangesGrpc;
import io.routewatch.proto.v1.SubscribeRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, acceptance 1, end to end: the alert service's throughput from state's change stream
 * into PostgreSQL, and notifications exactly once at a webhook behind a real Alertmanager.
 *
 * <p>The change source is a small state stand-in speaking {@code StateChanges.Subscribe} (the thing
 * measured against, as in a load generator): it streams a journal of generated changes for {@value
 * #NETWORKS} watched ASNs (three baseline upstreams each) with gRPC flow control. Each run
 * publishes {@code routewatch.bench.alert.changes} changes (default 20,000; the bench runs 60,000)
 * at once — share moves among the baseline upstreams, and a new upstream for {@value #NEW_PER_RUN}
 * of the networks (a NewUpstream alert each, hold 0) — and times them from publication until the
 * alert service's cursor ({@code alert_cursor} in PostgreSQL) holds the last sequence. Runs: {@code
 * routewatch.bench.alert.runs} (default 3), after {@code routewatch.bench.alert.warmup} uncounted
 * ones (default 0). Then the webhook must have received each transition recorded in {@code
 * alert_event} once: distinct alerts (labels, status, start) = rows.
 *
 * <p>Prints one line {@code alert-throughput: ...} with the figures, and writes it to {@code
 * target/alert-throughput.txt} for {@code bench/alert-pipeline.sh}. No throughput is asserted (the
 * machine is shared); exactly once is.
 */
class AlertThroughputIT {
  static final int NETWORKS = 1000;
  static final int NEW_PER_RUN = 200;
  static final long FIRST_ASN = 4_200_000_000L;
  static final int[] BASELINE = {3356, 174, 2914};

  /** Changes per run and runs: bounded (at most 500,000 and 10). */
  private static final int CHANGES =
      Math.min(500_000, Integer.getInteger("routewatch.bench.alert.changes", 20_000));

  private static final int RUNS =
      Math.min(10, Integer.getInteger("routewatch.bench.alert.runs", 3));

  /** Runs before the measured ones, not counted (the JIT compiles the hot paths): at most 5. */
  private static final int WARMUP =
      Math.min(5, Integer.getInteger("routewatch.bench.alert.warmup", 0));

  @Test
  void changesPerSecondIntoPostgresqlAndEachTransitionNotifiedOnce() throws Exception {
    try (Rig rig = new Rig((WARMUP + RUNS) * CHANGES)) {
      Stack stack = rig.stack;
      HttpClient http = rig.http;
      String health = rig.health;
      Journal journal = rig.journal;
      for (int r = 1; r <= WARMUP; r++) {
        long end = journal.publish(rig.run(100 + r, CHANGES));
        waitFor(
            Duration.ofSeconds(600),
            "warm-up run " + r + " handled",
            () -> sequence(http, health) >= end);
      }
      String loadStart = load();
      Map<String, Long> threads0 = threadTicks(stack.alertPid());
      List<Double> rates = new ArrayList<>();
      List<Double> perCpu = new ArrayList<>();
      long alertCpu = 0;
      long pgCpu = 0;
      for (int r = 1; r <= RUNS; r++) {
        List<Change> run = rig.run(r, CHANGES);
        long a0 = ticks(List.of(stack.alertPid()));
        long p0 = ticks(postgres(stack.pg.port()));
        long t0 = System.nanoTime();
        long end = journal.publish(run);
        waitFor(
            Duration.ofSeconds(600), "run " + r + " handled", () -> sequence(http, health) >= end);
        double secs = (System.nanoTime() - t0) / 1e9;
        long a = ticks(List.of(stack.alertPid())) - a0;
        long p = ticks(postgres(stack.pg.port())) - p0;
        alertCpu += a;
        pgCpu += p;
        rates.add(CHANGES / secs);
        perCpu.add(CHANGES / ((a + p) / (double) TICKS));
        System.out.printf(
            "alert-throughput: run %d: %d changes in %.2f s; CPU alert %.2f s, PostgreSQL %.2f s%n",
            r, CHANGES, secs, a / (double) TICKS, p / (double) TICKS);
      }
      String loadEnd = load();
      // where the alert JVM's CPU went during the runs, by thread (GC and JIT threads included)
      Map<String, Long> threads = threadTicks(stack.alertPid());
      threads0.forEach((k, v) -> threads.merge(k, -v, Long::sum));
      long allThreads = threads.values().stream().mapToLong(Long::longValue).sum();
      String byThread =
          threads.entrySet().stream()
              .filter(e -> e.getValue() > 0)
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .limit(6)
              .map(
                  e ->
                      e.getKey().replace(' ', '_').replace("Thre", "")
                          + ":"
                          + (100 * e.getValue() / Math.max(1, allThreads))
                          + "%")
              .toList()
              .toString()
              .replace(" ", "");
      // batches the service made (its histogram; read once: the page is large)
      Map<String, Double> m = new java.util.HashMap<>();
      http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + stack.alertPort + "/q/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body()
          .lines()
          .filter(l -> l.startsWith("routewatch_alert_change_batch"))
          .forEach(
              l -> {
                String k = l.substring(0, l.indexOf(' '));
                m.put(k, Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)));
              });
      double batches = m.getOrDefault("routewatch_alert_change_batch_size_count", 0.0);
      double meanBatch =
          batches == 0
              ? 0
              : m.getOrDefault("routewatch_alert_change_batch_size_sum", 0.0) / batches;
      double meanBatchMs =
          batches == 0
              ? 0
              : m.getOrDefault("routewatch_alert_change_batch_seconds_sum", 0.0) * 1000 / batches;

      long recorded = rig.assertNotifiedOnce();
      assertTrue(recorded >= (long) RUNS * NEW_PER_RUN, "transitions recorded: " + recorded);
      List<Double> sorted = rates.stream().sorted().toList();
      double median =
          sorted.size() % 2 == 1
              ? sorted.get(sorted.size() / 2)
              : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
      String line =
          String.format(
              "alert-throughput: networks=%d changes_per_run=%d runs=%s median=%.0f"
                  + " per_cpu_second=%s alert_cpu_us=%.1f pg_cpu_us=%.1f"
                  + " handler_cpu_us=%.1f warmup=%d"
                  + " batches=%.0f mean_batch=%.0f mean_batch_ms=%.1f alert_threads=%s"
                  + " transitions=%d notified=%d webhook_alerts=%d load_start=%s load_end=%s",
              NETWORKS,
              CHANGES,
              rates.stream()
                  .map(x -> String.format("%.0f", x))
                  .toList()
                  .toString()
                  .replace(" ", ""),
              median,
              perCpu.stream()
                  .map(x -> String.format("%.0f", x))
                  .toList()
                  .toString()
                  .replace(" ", ""),
              alertCpu * 1e6 / TICKS / ((double) RUNS * CHANGES),
              pgCpu * 1e6 / TICKS / ((double) RUNS * CHANGES),
              threads.getOrDefault("state-subscript", 0L) * 1e6 / TICKS / ((double) RUNS * CHANGES),
              WARMUP,
              batches,
              meanBatch,
              meanBatchMs,
              byThread,
              recorded,
              rig.notified.size(),
              rig.received.get(),
              loadStart,
              loadEnd);
      System.out.println(line);
      Files.writeString(Path.of("target", "alert-throughput.txt"), line + "\n");
    }
  }

  /**
   * kill -9 in the middle of a run, while batches are in flight: after the restart every change is
   * handled once — each new upstream fired exactly once, no transition recorded twice — and each
   * transition reaches the webhook once.
   */
  @Test
  void killMinus9MidStreamHandlesEachChangeOnce() throws Exception {
    try (Rig rig = new Rig(CHANGES)) {
      long start = rig.journal.size();
      long end = rig.journal.publish(rig.run(1, CHANGES));
      long quarter = start + CHANGES / 4;
      waitFor(
          Duration.ofSeconds(600),
          "a quarter of the run handled",
          () -> sequence(rig.http, rig.health) >= quarter);
      rig.stack.killAlert();
      long atKill = psql(rig.stack, "select sequence from alert_cursor");
      assertTrue(atKill < end, "killed before the run was handled: cursor " + atKill);
      rig.stack.startAlert();
      waitFor(
          Duration.ofSeconds(600),
          "the run handled after the restart",
          () -> sequence(rig.http, rig.health) >= end);
      assertEquals(
          NEW_PER_RUN,
          psql(rig.stack, "select count(*) from alert_event where state = 'FIRING'"),
          "each new upstream fired once");
      assertEquals(
          0,
          psql(
              rig.stack,
              "select count(*) from (select alert_id, state, starts_at from alert_event"
                  + " group by 1, 2, 3 having count(*) > 1) d"),
          "no transition recorded twice");
      assertEquals(
          atKill,
          rig.journal.resumedFrom.get(rig.journal.resumedFrom.size() - 1),
          "resumed after the cursor committed before the kill");
      rig.assertNotifiedOnce();
      System.out.printf(
          "alert-throughput: killed at cursor %d of %d..%d, resumed, %d transitions once%n",
          atKill, start, end, NEW_PER_RUN);
    }
  }

  /**
   * PostgreSQL, a webhook behind Alertmanager, the journal standing in for state, and the alert
   * service watching the networks, their baseline handled.
   */
  static final class Rig implements AutoCloseable {
    final Set<String> notified = ConcurrentHashMap.newKeySet();
    final AtomicInteger received = new AtomicInteger();
    final HttpClient http = HttpClient.newHttpClient();
    final Journal journal;
    HttpServer hook;
    Alertmanager am;
    Stack stack;
    Server state;
    String health;
    private final double[] shares = new double[NETWORKS * BASELINE.length];

    Rig(int changes) throws Exception {
      journal = new Journal(NETWORKS * BASELINE.length + changes + 16);
      try {
        start();
      } catch (Exception | Error e) {
        close();
        throw e;
      }
    }

    private void start() throws Exception {
      hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      hook.createContext(
          "/hook",
          ex -> {
            JsonObject body =
                JsonParser.parseString(
                        new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            for (JsonElement a : body.getAsJsonArray("alerts")) {
              JsonObject o = a.getAsJsonObject();
              received.incrementAndGet();
              // one transition: the alert (its labels), firing or resolved, and its start
              notified.add(
                  new TreeMap<>(o.getAsJsonObject("labels").asMap())
                      + "|"
                      + o.get("status").getAsString()
                      + "|"
                      + o.get("startsAt").getAsString());
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
          });
      hook.start();
      Path work = Files.createTempDirectory("routewatch-alert-throughput-");
      Path watchFile = work.resolve("watch.yml");
      StringBuilder w = new StringBuilder("watch:\n");
      for (int i = 0; i < NETWORKS; i++) {
        w.append("  - asn: AS").append(FIRST_ASN + i).append('\n');
      }
      Files.writeString(watchFile, w);
      am = Alertmanager.toWebhook(work, hook.getAddress().getPort());
      Map<String, String> env = new java.util.HashMap<>();
      if (System.getProperty("routewatch.bench.alert.jvm") != null) {
        // e.g. a JFR recording of the alert service
        env.put("JAVA_TOOL_OPTIONS", System.getProperty("routewatch.bench.alert.jvm"));
      }
      env.putAll(
          Map.of(
              "ROUTEWATCH_ALERT_ALERTMANAGER_URLS", am.url(),
              "ROUTEWATCH_ALERT_WATCH_FILE", watchFile.toString(),
              "ROUTEWATCH_ALERT_BASELINE_PERIOD", "PT1S",
              "ROUTEWATCH_ALERT_RULES_DEFAULTS_MIN_PEER_ASNS", "1",
              "ROUTEWATCH_ALERT_RULES_NEW_UPSTREAM_HOLD", "PT0S"));
      stack = new Stack(env);
      state =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", stack.statePort))
              .addService(journal)
              .build()
              .start();
      stack.startAlert();
      health = "http://127.0.0.1:" + stack.alertPort + "/q/health/ready";
      // baseline: three upstreams per network, first seen now
      long now = System.currentTimeMillis() * 1000;
      List<Change> base = new ArrayList<>();
      for (int i = 0; i < NETWORKS; i++) {
        for (int k = 0; k < BASELINE.length; k++) {
          base.add(upstream(ChangeKind.UPSTREAM_ADDED, i, BASELINE[k], 0, 1.0 / 3, now));
        }
      }
      long last = journal.publish(base);
      waitFor(Duration.ofSeconds(120), "baseline handled", () -> sequence(http, health) >= last);
      Thread.sleep(1_500); // past the 1 s baseline period
      Arrays.fill(shares, 1.0 / 3);
    }

    /**
     * Run {@code r}'s changes, stamped now: share moves among the baseline upstreams, and a new
     * upstream (65000 + r) for {@value #NEW_PER_RUN} networks.
     */
    List<Change> run(int r, int changes) {
      long t = System.currentTimeMillis() * 1000;
      List<Change> run = new ArrayList<>(changes);
      int every = changes / NEW_PER_RUN;
      for (int j = 0; j < changes; j++) {
        if (j % every == 0 && j / every < NEW_PER_RUN) {
          int net = ((j / every) * (NETWORKS / NEW_PER_RUN) + r) % NETWORKS;
          run.add(upstream(ChangeKind.UPSTREAM_ADDED, net, 65000 + r, 0, 0.25, t));
          continue;
        }
        int net = j % NETWORKS;
        int k = (j / NETWORKS) % BASELINE.length;
        int s = net * BASELINE.length + k;
        double before = shares[s];
        double after = before > 1.0 / 3 ? 1.0 / 3 : 1.0 / 3 + 0.001;
        shares[s] = after;
        run.add(upstream(ChangeKind.SHARE_MOVED, net, BASELINE[k], before, after, t));
      }
      return run;
    }

    /**
     * Waits until the outbox is delivered, then checks that every transition recorded in PostgreSQL
     * reached the webhook once; returns how many there are.
     */
    long assertNotifiedOnce() throws InterruptedException {
      waitFor(
          Duration.ofSeconds(120),
          "the outbox delivered (" + notified.size() + " notified)",
          () ->
              psql(stack, "select count(*) from notification_outbox where delivered_at is null")
                      == 0
                  && notified.size() >= psql(stack, "select count(*) from alert_event"));
      Thread.sleep(3_000); // anything late (a duplicate) arrives too
      long recorded = psql(stack, "select count(*) from alert_event");
      assertEquals(
          recorded,
          notified.size(),
          "webhook alerts (distinct labels/status/start) = transitions in alert_event; "
              + received.get()
              + " alerts in webhook bodies");
      return recorded;
    }

    @Override
    public void close() {
      try {
        if (state != null) {
          state.shutdownNow();
        }
        if (stack != null) {
          stack.close();
        }
      } finally {
        if (am != null) {
          am.close();
        }
        if (hook != null) {
          hook.stop(0);
        }
      }
    }
  }

  private static Change upstream(
      ChangeKind kind, int net, int upstream, double before, double after, long time) {
    return Change.newBuilder()
        .setKind(kind)
        .setTimeMicros(time)
        .setAsn((int) (FIRST_ASN + net))
        .setUpstream(upstream)
        .setShareBefore(before)
        .setShareAfter(after)
        .setVpCount(5)
        .addAllPeerAsns(List.of(64496, 64497, 64498))
        .build();
  }

  /** Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux). */
  static final long TICKS = 100;

  /** User + system CPU of these processes so far, in clock ticks (0 for one that is gone). */
  static long ticks(List<Long> pids) {
    long sum = 0;
    for (long pid : pids) {
      try {
        String st = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
        sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException | RuntimeException e) {
        // gone meanwhile
      }
    }
    return sum;
  }

  /**
   * CPU ticks so far of each thread of a process by name, numbered threads of one kind summed ("GC
   * Thread#0", "GC Thread#1" → "GC Thread#").
   */
  static Map<String, Long> threadTicks(long pid) {
    Map<String, Long> out = new java.util.HashMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String st = Files.readString(t.resolve("stat"));
          String name =
              st.substring(st.indexOf('(') + 1, st.lastIndexOf(')')).replaceAll("\\d+$", "");
          String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
          out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        } catch (IOException | RuntimeException e) {
          // gone meanwhile
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** The PostgreSQL server on this port: its postmaster and the postmaster's children. */
  static List<Long> postgres(int port) {
    List<Long> out = new ArrayList<>();
    Map<Long, Long> parent = new java.util.HashMap<>();
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        String name = d.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          long pid = Long.parseLong(name);
          String cmd = new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmd.contains("postgres") && cmd.contains("-p\0" + port + "\0")) {
            out.add(pid);
          }
          String st = Files.readString(d.resolve("stat"));
          parent.put(pid, Long.parseLong(st.substring(st.lastIndexOf(')') + 2).split(" ")[1]));
        } catch (IOException | RuntimeException e) {
          // gone meanwhile
        }
      }
    } catch (IOException e) {
      return out;
    }
    List<Long> masters = List.copyOf(out);
    parent.forEach(
        (pid, pp) -> {
          if (masters.contains(pp)) {
            out.add(pid);
          }
        });
    return out;
  }

  private static String load() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
    return f[0] + "/" + f[1] + "/" + f[2];
  }

  /**
   * The alert service's handled (committed) sequence, from its readiness check (cheap; the metrics
   * page, with its per-network gauges, would cost the service more than the changes).
   */
  private static long sequence(HttpClient http, String health) {
    try {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create(health)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\"sequence\"\\s*:\\s*(\\d+)").matcher(body);
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    } catch (IOException | InterruptedException e) {
      return 0;
    }
  }

  private static long psql(Stack stack, String sql) {
    try {
      ProcessBuilder pb =
          new ProcessBuilder(
                  "psql",
                  "-h",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(stack.pg.port()),
                  "-U",
                  stack.pg.username(),
                  "-d",
                  "routewatch",
                  "-tAc",
                  sql)
              .redirectErrorStream(true);
      pb.environment().put("PGPASSWORD", stack.pg.password() == null ? "" : stack.pg.password());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("psql " + sql + ": " + out);
      }
      return Long.parseLong(out);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("psql " + sql, e);
    }
  }

  private static void waitFor(Duration max, String what, BooleanSupplier ok)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  /**
   * State's change stream, standing in for the state service: a journal of changes, each subscriber
   * sent those after its {@code from_sequence} as flow control allows, and a heartbeat when it has
   * nothing to send (the alert service is ready once its stream is).
   */
  static final class Journal extends StateChangesGrpc.StateChangesImplBase {
    private final Change[] changes;
    private volatile int size;
    private final Object more = new Object();

    /** The from_sequence of each subscription, in order. */
    final List<Long> resumedFrom = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The last sequence published. */
    long size() {
      return size;
    }

    Journal(int capacity) {
      changes = new Change[capacity];
    }

    /** Appends changes (sequences numbered on) at once; returns the last sequence. */
    long publish(List<Change> add) {
      synchronized (more) {
        int n = size;
        for (Change c : add) {
          changes[n] = c.toBuilder().setSequence(n + 1).build();
          n++;
        }
        size = n;
        more.notifyAll();
        return n;
      }
    }

    @Override
    public void subscribe(SubscribeRequest req, StreamObserver<Change> out) {
      ServerCallStreamObserver<Change> o = (ServerCallStreamObserver<Change>) out;
      resumedFrom.add(req.getFromSequence());
      Thread t =
          new Thread(
              () -> stream(o, (int) Math.min(req.getFromSequence(), Integer.MAX_VALUE)),
              "journal-stream");
      o.setOnReadyHandler(
          () -> {
            synchronized (more) {
              more.notifyAll();
            }
          });
      o.setOnCancelHandler(
          () -> {
            synchronized (more) {
              more.notifyAll();
            }
          });
      t.setDaemon(true);
      t.start();
    }

    private void stream(ServerCallStreamObserver<Change> o, int from) {
      int next = from; // index of the next change: sequence next + 1
      try {
        o.onNext(heartbeat());
        while (!o.isCancelled()) {
          boolean sent = false;
          while (next < size && o.isReady()) {
            o.onNext(changes[next++]);
            sent = true;
          }
          if (sent) {
            continue;
          }
          synchronized (more) {
            if (!o.isCancelled() && !(next < size && o.isReady())) {
              more.wait(1000);
            }
          }
          if (next >= size && o.isReady()) {
            o.onNext(heartbeat());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        // the subscriber went away
      }
    }

    private static Change heartbeat() {
      return Change.newBuilder()
          .setKind(ChangeKind.HEARTBEAT)
          .setTimeMicros(System.currentTimeMillis() * 1000)
          .build();
    }
  }
}
