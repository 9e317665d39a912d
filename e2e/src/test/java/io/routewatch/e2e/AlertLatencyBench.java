package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, acceptance 3: alert latency from the deciding message to the webhook behind a real
 * Alertmanager, hold 0, with a stage breakdown. Not part of {@code make test} (the class name does
 * not match the failsafe includes; tag {@code bench}): {@code bench/alert-latency.sh} runs it with
 * {@code -Dit.test=AlertLatencyBench} and writes docs/benchmarks.md.
 *
 * <p>PostgreSQL, state, collector and alert as processes (the shipped defaults but for the
 * test-time settings of {@link RisLiveAlertLatencyIT}, explained there), the collector's RIS Live
 * client on a {@link LoopbackWebSocket} replay of 8 peers (8 peer ASes) that all see origin AS64500
 * with {@code 4 + 3 × alerts} /24s, one watch entry {@code AS64500} with {@code hold: 0}, a real
 * Alertmanager and a webhook receiver. Each deciding message is one fresh prefix withdrawn by all 8
 * peers, back to back (the crossing is at the 4th: 50 % is lost), timed from the last withdrawal's
 * write to the webhook receiving that prefix's {@code VisibilityLoss}; the prefix is then announced
 * again (its alert stays firing through the 10 min {@code clear}, so every page is a new alert).
 * Three modes in one stack, in this order: idle; with background RIS Live frames at {@code
 * ris-rate}/s (announcements of 4,096 unrelated /24s of another origin, path alternating); with
 * background BGP UPDATEs at {@code bgp-rate} routes/s from a BGP session of this class to the
 * collector (a real RFC 4271 session over loopback: OPEN, KEEPALIVE, UPDATEs of 10 /24s each,
 * 65,536 unrelated prefixes, path alternating per round). Every loop is bounded in count and time.
 *
 * <p>The Alertmanager route is {@link Alertmanager#toWebhook}: {@code group_by: ['...']}, {@code
 * group_wait: 0s}. The shipped configuration (helm/routewatch/files/alertmanager.yml) groups
 * network alerts by {@code asn} with {@code group_wait: 30s} and {@code group_interval: 5m}: a
 * second alert of AS64500 would wait for the group's next interval, which measures Alertmanager's
 * batching, not routewatch. An operator paging on {@code hold: 0} sets the same (each alert its own
 * group, no wait).
 *
 * <p>Writes {@code e2e/target/alert-latency.md} (the tables) and {@code alert-latency.txt} (one
 * line of key=value per mode).
 */
@Tag("bench")
class AlertLatencyBench {
  static final long ORIGIN = 64500;
  static final int PEERS = 8;
  static final int ALERTS = Integer.getInteger("routewatch.bench.latency.alerts", 200);
  static final long SPACING_MS = Long.getLong("routewatch.bench.latency.spacing-ms", 250);
  static final int RIS_RATE = Integer.getInteger("routewatch.bench.latency.ris-rate", 5500);
  static final int BGP_RATE = Integer.getInteger("routewatch.bench.latency.bgp-rate", 100_000);

  /** Untimed alerts first: the JIT compiles the path during the first ones. */
  static final int WARMUP = Integer.getInteger("routewatch.bench.latency.warmup", 20);

  /**
   * Not a default: {@code routewatch.collector.publish.linger-max} for a second look at what the
   * rest of the path costs (empty: the shipped 200 ms).
   */
  static final String LINGER = System.getProperty("routewatch.bench.latency.linger", "").strip();

  static final List<String> MODES =
      List.of(System.getProperty("routewatch.bench.latency.modes", "idle,rislive,bgp").split(","));

  /** Background warm-up before the first timed alert of a loaded mode. */
  static final long BACKGROUND_WARMUP_MS = 5000;

  /** Longest a background sender runs, whatever happens: bounded. */
  static final long BACKGROUND_MAX_MS = 20 * 60_000L;

  /** A page not at the webhook this long after its message is a failure. */
  static final long PAGE_TIMEOUT_MS = 15_000;

  static final String[] STAGE_METRICS = {
    "routewatch_collector_stage_seconds",
    "routewatch_state_stage_seconds",
    "routewatch_alert_stage_seconds"
  };

  static String peer(int i) {
    return "192.0.2." + (i + 1);
  }

  static long peerAsn(int i) {
    return 65101 + i;
  }

  /** The watched origin's i-th /24 (100.64.0.0/10 holds 16,384). */
  static String watched(int i) {
    return "100." + (64 + i / 256) + "." + (i % 256) + ".0/24";
  }

  static String ris(int peer, String body) {
    return "{\"type\":\"ris_message\",\"data\":{\"timestamp\":"
        + System.currentTimeMillis() / 1000.0
        + ",\"peer\":\""
        + peer(peer)
        + "\",\"peer_asn\":\""
        + peerAsn(peer)
        + "\",\"id\":\"bench-"
        + peer
        + "\",\"host\":\"rrc00\",\"type\":\"UPDATE\","
        + body
        + "}}";
  }

  static String announce(int peer, long upstream, long origin, List<String> prefixes) {
    StringBuilder p = new StringBuilder();
    for (String x : prefixes) {
      p.append(p.length() == 0 ? "" : ",").append('"').append(x).append('"');
    }
    return ris(
        peer,
        "\"path\":["
            + peerAsn(peer)
            + ","
            + upstream
            + ","
            + origin
            + "],\"origin\":\"igp\",\"announcements\":[{\"next_hop\":\""
            + peer(peer)
            + "\",\"prefixes\":["
            + p
            + "]}]");
  }

  static String withdraw(int peer, String prefix) {
    return ris(peer, "\"withdrawals\":[\"" + prefix + "\"]");
  }

  /** First arrival (System.nanoTime) of each prefix's firing VisibilityLoss at the webhook. */
  final Map<String, Long> paged = new ConcurrentHashMap<>();

  final List<String> lines = new ArrayList<>();
  final StringBuilder md = new StringBuilder();

  @Test
  void alertLatency() throws Exception {
    assertTrue(ALERTS > 0 && ALERTS <= 2000, "alerts per mode 1..2000: " + ALERTS);
    assertTrue(WARMUP >= 0 && WARMUP <= 200, "warm-up alerts 0..200: " + WARMUP);
    int prefixes = 4 + WARMUP + MODES.size() * ALERTS;
    List<String> table = new ArrayList<>();
    for (int i = 0; i < prefixes; i++) {
      table.add(watched(i));
    }
    List<String> initial = new ArrayList<>();
    for (int i = 0; i < PEERS; i++) {
      initial.add(announce(i, i % 2 == 0 ? 64501 : 64502, ORIGIN, table));
    }
    Path work = Files.createTempDirectory("routewatch-alert-latency-");
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/hook",
        ex -> {
          long now = System.nanoTime();
          JsonObject body =
              JsonParser.parseString(
                      new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                  .getAsJsonObject();
          for (JsonElement a : body.getAsJsonArray("alerts")) {
            JsonObject o = a.getAsJsonObject();
            JsonObject l = o.getAsJsonObject("labels");
            if ("firing".equals(o.get("status").getAsString())
                && l.has("prefix")
                && "VisibilityLoss".equals(l.get("alertname").getAsString())) {
              paged.putIfAbsent(l.get("prefix").getAsString(), now);
            }
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    hook.start();
    int bgpPort = Stack.freePort();
    try (LoopbackWebSocket ris = new LoopbackWebSocket(initial);
        Alertmanager am = Alertmanager.toWebhook(work, hook.getAddress().getPort())) {
      Map<String, String> env = new TreeMap<>();
      env.put("ROUTEWATCH_COLLECTOR_RIS_LIVE_URL", "ws://127.0.0.1:" + ris.port() + "/v1/ws/");
      env.put("ROUTEWATCH_ALERT_ALERTMANAGER_URLS", am.url());
      env.put("ROUTEWATCH_COLLECTOR_BGP_PORT", Integer.toString(bgpPort));
      env.put("ROUTEWATCH_COLLECTOR_BGP_NEIGHBORS", "address=127.0.0.61;asn=65061;name=bench");
      // test-time settings, as RisLiveAlertLatencyIT explains: 8 VPs with a few hundred prefixes
      // are the full feeds; a VP's first load settles after 5 s; the baseline ends after 15 s
      env.put("ROUTEWATCH_STATE_ENGINE_FULL_FEED_V4", "4");
      env.put("ROUTEWATCH_STATE_ENGINE_SETTLE", "5s");
      env.put("ROUTEWATCH_ALERT_BASELINE_PERIOD", "15s");
      if (!LINGER.isEmpty()) {
        env.put("ROUTEWATCH_COLLECTOR_PUBLISH_LINGER_MAX", LINGER);
      }
      try (Stack stack = new Stack(env)) {
        stack.startState();
        stack.startAlert();
        stack.addWatch(
            "{\"kind\":\"ASN\",\"value\":\"AS" + ORIGIN + "\",\"overrides\":{\"hold\":\"0\"}}");
        stack.startCollector();
        long firstRoutes = System.nanoTime();
        waitFor(Duration.ofSeconds(90), "state warm", () -> stack.stats(false).getWarm());
        waitFor(
            Duration.ofSeconds(60),
            "alert's view of AS" + ORIGIN,
            () ->
                scrapeOr(stack.alertPort)
                        .lines()
                        .filter(
                            l ->
                                l.startsWith("routewatch_alert_watched_upstream_share_ratio{")
                                    && l.contains("\"AS" + ORIGIN + "\""))
                        .count()
                    == 2);
        long baselineEnd = firstRoutes + Duration.ofSeconds(18).toNanos();
        Thread.sleep(Math.max(0, (baselineEnd - System.nanoTime()) / 1_000_000));
        assertTrue(paged.isEmpty(), "nothing paged before the first message: " + paged);
        header();
        int next = 4;
        if (WARMUP > 0) {
          runMode("warmup", table.subList(next, next + WARMUP), stack, ris, bgpPort);
          next += WARMUP;
        }
        for (String mode : MODES) {
          List<String> mine = table.subList(next, next + ALERTS);
          next += ALERTS;
          runMode(mode.strip(), mine, stack, ris, bgpPort);
        }
        System.out.println("AlertLatencyBench: service logs in " + stack.logs);
      }
    } finally {
      hook.stop(0);
    }
    Path target = Paths.get("target");
    Files.createDirectories(target);
    Files.writeString(target.resolve("alert-latency.md"), md.toString());
    Files.writeString(target.resolve("alert-latency.txt"), String.join("\n", lines) + "\n");
    System.out.println(md);
  }

  private void header() {
    md.append("| mode | background achieved | alerts | p50 ms | p90 ms | p99 ms | max ms |")
        .append(" p50 first / last quarter ms | load at start / end |\n")
        .append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
  }

  private final StringBuilder stagesMd = new StringBuilder();
  private final StringBuilder backlogMd = new StringBuilder();

  private void runMode(
      String mode, List<String> prefixes, Stack stack, LoopbackWebSocket ris, int bgpPort)
      throws Exception {
    System.out.printf("AlertLatencyBench: mode %s, %d alerts%n", mode, prefixes.size());
    Background bg =
        switch (mode) {
          case "idle", "warmup" -> null;
          case "rislive" -> new RisBackground(ris, RIS_RATE);
          case "bgp" -> new BgpBackground(bgpPort, BGP_RATE);
          default -> throw new IllegalArgumentException("mode " + mode);
        };
    String loadStart = load();
    Map<String, String> backlogStart = backlog(stack);
    long bgStart = System.nanoTime();
    if (bg != null) {
      bg.start();
      Thread.sleep(BACKGROUND_WARMUP_MS);
    }
    Map<Integer, String> before = scrapeAll(stack);
    long[] latencies = new long[prefixes.size()];
    long measureStart = System.nanoTime();
    Map<String, String> backlogEnd;
    try {
      for (int k = 0; k < prefixes.size(); k++) {
        String p = prefixes.get(k);
        long sent = 0;
        for (int i = 0; i < PEERS; i++) {
          ris.send(withdraw(i, p));
          sent = System.nanoTime();
        }
        long deadline = sent + PAGE_TIMEOUT_MS * 1_000_000L;
        while (!paged.containsKey(p) && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        Long at = paged.get(p);
        assertTrue(
            at != null,
            mode + ": no VisibilityLoss page for " + p + " within " + PAGE_TIMEOUT_MS + " ms");
        latencies[k] = at - sent;
        Thread.sleep(SPACING_MS);
        for (int i = 0; i < PEERS; i++) {
          ris.send(announce(i, i % 2 == 0 ? 64501 : 64502, ORIGIN, List.of(p)));
        }
        Thread.sleep(SPACING_MS);
      }
      // before the background stops: what is still waiting while it runs
      backlogEnd = backlog(stack);
    } finally {
      if (bg != null) {
        bg.stop();
      }
    }
    long measureEnd = System.nanoTime();
    Map<Integer, String> after = scrapeAll(stack);
    String achieved = bg == null ? "none" : bg.achieved(measureEnd - bgStart);
    String loadEnd = load();
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    String p50 = ms(pct(sorted, 0.50));
    String p90 = ms(pct(sorted, 0.90));
    String p99 = ms(pct(sorted, 0.99));
    String max = ms(sorted[sorted.length - 1]);
    // a growing backlog shows as later alerts taking longer: the median of the first and last
    // quarter of the timed alerts, in the order sent
    int quarter = Math.max(1, latencies.length / 4);
    long[] first = Arrays.copyOfRange(latencies, 0, quarter);
    long[] last = Arrays.copyOfRange(latencies, latencies.length - quarter, latencies.length);
    Arrays.sort(first);
    Arrays.sort(last);
    String drift = ms(pct(first, 0.5)) + " / " + ms(pct(last, 0.5));
    if (mode.equals("warmup")) {
      System.out.printf(
          "AlertLatencyBench: %d warm-up alerts, p50 %s ms, max %s ms (not counted)%n",
          sorted.length, p50, max);
      return;
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "mode=%s alerts=%d p50_ms=%s p90_ms=%s p99_ms=%s max_ms=%s quarters_p50_ms=%s"
                + " background=%s load_start=%s load_end=%s seconds=%.0f",
            mode,
            sorted.length,
            p50,
            p90,
            p99,
            max,
            drift.replace(" ", ""),
            achieved.replace(' ', '_'),
            loadStart.replace(' ', '/'),
            loadEnd.replace(' ', '/'),
            (measureEnd - measureStart) / 1e9));
    System.out.println("AlertLatencyBench: " + lines.get(lines.size() - 1));
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %d | %s | %s | %s | %s | %s | %s / %s |\n",
            mode,
            achieved,
            sorted.length,
            p50,
            p90,
            p99,
            max,
            drift,
            loadStart,
            loadEnd));
    stagesMd.append("\n**").append(mode).append("**: stage histograms over the mode's timed");
    stagesMd.append(" window, the background's batches and changes included (deltas of");
    stagesMd.append(" `/q/metrics`; p99 interpolated within its bucket)\n\n");
    stagesMd.append(
        "| metric | stage | count | mean ms | p99 ms |\n| --- | --- | ---: | ---: | ---: |\n");
    int[] ports = {stack.collectorPort, stack.statePort, stack.alertPort};
    for (int s = 0; s < STAGE_METRICS.length; s++) {
      for (Map.Entry<String, double[]> e :
          stages(before.get(ports[s]), after.get(ports[s]), STAGE_METRICS[s]).entrySet()) {
        double[] v = e.getValue();
        stagesMd.append(
            String.format(
                Locale.ROOT,
                "| `%s` | %s | %.0f | %.1f | %.1f |\n",
                STAGE_METRICS[s],
                e.getKey(),
                v[0],
                v[1] * 1000,
                v[2] * 1000));
      }
    }
    backlogMd.append(
        String.format(
            Locale.ROOT,
            "| %s | start | %s |\n| %s | end | %s |\n",
            mode,
            row(backlogStart),
            mode,
            row(backlogEnd)));
    if (mode.equals(MODES.get(MODES.size() - 1).strip())) {
      md.append(stagesMd);
      md.append("\nBacklog at the start of each mode and after its last timed alert (the loaded");
      md.append(" modes: background still running):\n\n| mode | when | ");
      md.append(String.join(" | ", backlogStart.keySet())).append(" |\n| --- | --- |");
      md.append(" ---: |".repeat(backlogStart.size())).append('\n');
      md.append(backlogMd);
    }
  }

  private static String row(Map<String, String> m) {
    return String.join(" | ", m.values());
  }

  /** Quantile by rank (nearest rank, as for the alert's own latencies). */
  static long pct(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }

  static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private Map<Integer, String> scrapeAll(Stack stack) {
    Map<Integer, String> m = new TreeMap<>();
    for (int port : new int[] {stack.collectorPort, stack.statePort, stack.alertPort}) {
      m.put(port, scrapeOr(port));
    }
    return m;
  }

  static String scrapeOr(int port) {
    try {
      return Metrics.scrape(port);
    } catch (Exception e) {
      return "";
    }
  }

  /** The backlog gauges of the three services: nothing may grow under load. */
  private Map<String, String> backlog(Stack stack) {
    String c = scrapeOr(stack.collectorPort);
    String s = scrapeOr(stack.statePort);
    String a = scrapeOr(stack.alertPort);
    Map<String, String> m = new LinkedHashMap<>();
    m.put(
        "collector events unacknowledged",
        num(Metrics.sum(c, "routewatch_collector_events_buffered")));
    m.put(
        "collector events dropped",
        num(Metrics.sum(c, "routewatch_collector_events_dropped_total")));
    m.put(
        "state ingest queue (batches)",
        num(Metrics.sum(s, "routewatch_state_ingest_queue_batches")));
    m.put("state journal pending", num(Metrics.sum(s, "routewatch_state_journal_pending")));
    double last = Metrics.sum(s, "routewatch_state_journal_last_sequence");
    double handled = Metrics.sum(a, "routewatch_alert_change_sequence");
    m.put("alert changes behind state", num(last - handled));
    m.put(
        "alert outbox pending",
        num(Metrics.sum(a, "routewatch_alert_outbox_pending_notifications")));
    return m;
  }

  static String num(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static final Pattern BUCKET =
      Pattern.compile("^(\\w+)_bucket\\{(.*)\\} (\\S+)$", Pattern.MULTILINE);
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /**
   * Per label set of {@code metric} (le excepted): {count, mean s, p99 s} of the samples between
   * the two scrapes, from the cumulative buckets' differences (p99 interpolated linearly within its
   * bucket).
   */
  static Map<String, double[]> stages(String before, String after, String metric) {
    Map<String, TreeMap<Double, Double>> b = buckets(before, metric);
    Map<String, TreeMap<Double, Double>> a = buckets(after, metric);
    Map<String, double[]> out = new TreeMap<>();
    for (Map.Entry<String, TreeMap<Double, Double>> e : a.entrySet()) {
      TreeMap<Double, Double> prev = b.getOrDefault(e.getKey(), new TreeMap<>());
      double count =
          e.getValue().lastEntry().getValue() - prev.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
      double sum =
          Metrics.sum(after, metric + "_sum", labels(e.getKey()))
              - Metrics.sum(before, metric + "_sum", labels(e.getKey()));
      double p99 = Double.NaN;
      if (count > 0) {
        double want = 0.99 * count;
        double lo = 0;
        double below = 0;
        for (Map.Entry<Double, Double> bk : e.getValue().entrySet()) {
          double n = bk.getValue() - prev.getOrDefault(bk.getKey(), 0.0);
          if (n >= want) {
            double hi = bk.getKey().isInfinite() ? lo : bk.getKey();
            p99 = n == below ? hi : lo + (hi - lo) * (want - below) / (n - below);
            break;
          }
          lo = bk.getKey();
          below = n;
        }
      }
      out.put(e.getKey(), new double[] {count, count > 0 ? sum / count : Double.NaN, p99});
    }
    return out;
  }

  /** {@code k="v"} strings of a key made by {@link #buckets}, for {@link Metrics#sum}. */
  private static String[] labels(String key) {
    List<String> l = new ArrayList<>();
    Matcher m = LABEL.matcher(key);
    while (m.find()) {
      l.add(m.group(1) + "=\"" + m.group(2) + "\"");
    }
    return l.toArray(String[]::new);
  }

  /** Label set without le (as {@code k="v",...}) → le → cumulative count. */
  private static Map<String, TreeMap<Double, Double>> buckets(String text, String metric) {
    Map<String, TreeMap<Double, Double>> out = new TreeMap<>();
    Matcher m = BUCKET.matcher(text);
    while (m.find()) {
      if (!m.group(1).equals(metric)) {
        continue;
      }
      StringBuilder key = new StringBuilder();
      double le = Double.NaN;
      Matcher l = LABEL.matcher(m.group(2));
      while (l.find()) {
        if (l.group(1).equals("le")) {
          le =
              l.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(l.group(2));
        } else {
          key.append(key.length() == 0 ? "" : ",")
              .append(l.group(1))
              .append("=\"")
              .append(l.group(2))
              .append('"');
        }
      }
      out.computeIfAbsent(key.toString(), k -> new TreeMap<>())
          .put(le, Double.parseDouble(m.group(3)));
    }
    return out;
  }

  private static void waitFor(Duration max, String what, BooleanSupplier ok)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      try {
        if (ok.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // not yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true after " + max + ": " + what);
      }
      Thread.sleep(50);
    }
  }

  /** A paced background sender on its own thread, bounded in count and time. */
  abstract static class Background {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong units = new AtomicLong();
    final int rate;
    private Thread thread;
    volatile Exception failure;

    Background(int rate) {
      this.rate = rate;
    }

    void start() throws Exception {
      open();
      thread =
          new Thread(
              () -> {
                long t0 = System.nanoTime();
                long max = (long) rate * (BACKGROUND_MAX_MS / 1000);
                try {
                  while (!stop.get() && units.get() < max) {
                    long elapsed = System.nanoTime() - t0;
                    if (elapsed > BACKGROUND_MAX_MS * 1_000_000L) {
                      break;
                    }
                    long due = Math.min(max, (long) (elapsed / 1e9 * rate));
                    if (units.get() >= due) {
                      Thread.sleep(1);
                      continue;
                    }
                    // at most 50 ms' worth per round, so stop is seen promptly
                    long n = Math.min(due - units.get(), Math.max(1, rate / 20));
                    units.addAndGet(send(n));
                    flush();
                  }
                } catch (Exception e) {
                  if (!stop.get()) {
                    failure = e;
                  }
                }
              },
              "bench-background");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws Exception {
      stop.set(true);
      thread.join(30_000);
      close();
      if (failure != null) {
        throw new IllegalStateException("background sender failed", failure);
      }
    }

    /** Opens the connection (if any). */
    abstract void open() throws Exception;

    /** Sends about {@code n} units; returns how many it sent. */
    abstract long send(long n) throws Exception;

    abstract void flush() throws Exception;

    abstract void close() throws Exception;

    abstract String achieved(long nanos);
  }

  /** RIS Live frames of unrelated prefixes on the replay's connection. */
  static final class RisBackground extends Background {
    private final LoopbackWebSocket ris;
    private long i;

    RisBackground(LoopbackWebSocket ris, int rate) {
      super(rate);
      this.ris = ris;
    }

    @Override
    void open() {}

    @Override
    long send(long n) throws Exception {
      for (long k = 0; k < n; k++, i++) {
        int j = (int) (i % 4096);
        int peer = (int) (i % PEERS);
        long upstream = (i / 4096) % 2 == 0 ? 64901 : 64902;
        String p = "172." + (16 + j / 256) + "." + (j % 256) + ".0/24";
        ris.send(announce(peer, upstream, 64999, List.of(p)));
      }
      return n;
    }

    @Override
    void flush() {}

    @Override
    void close() {}

    @Override
    String achieved(long nanos) {
      return String.format(
          Locale.ROOT,
          "RIS Live %,d frames/s (target %,d)",
          Math.round(units.get() / (nanos / 1e9)),
          rate);
    }
  }

  /**
   * A BGP speaker (AS65061, 127.0.0.61) on a real session to the collector: OPEN with the 4-octet
   * AS and IPv4 unicast capabilities, KEEPALIVEs, then UPDATEs of {@value #PER_UPDATE} /24s of
   * 10.0.0.0/8 each sharing one path; the path alternates each round through the 65,536 prefixes,
   * so every route after the first round replaces one.
   */
  static final class BgpBackground extends Background {
    static final int PER_UPDATE = 10;
    private final int port;
    private Socket socket;
    private OutputStream out;
    private long i;
    private final AtomicLong messages = new AtomicLong();

    BgpBackground(int port, int rate) {
      super(rate);
      this.port = port;
    }

    @Override
    void open() throws Exception {
      socket = new Socket();
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.61"), 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      socket.setSoTimeout(30_000);
      socket.setTcpNoDelay(true);
      out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      // OPEN: version 4, AS 65061, hold 90 s, id 127.0.0.61, capabilities MP IPv4/unicast, AS4
      byte[] caps = {
        2, 12, 1, 4, 0, 1, 0, 1, 65, 4, 0, 0, (byte) (65061 >> 8), (byte) (65061 & 0xff)
      };
      ByteArrayOutputStream open = new ByteArrayOutputStream();
      open.write(4);
      open.write(65061 >> 8);
      open.write(65061 & 0xff);
      open.write(0);
      open.write(90);
      open.write(new byte[] {127, 0, 0, 61});
      open.write(caps.length);
      open.write(caps);
      message(1, open.toByteArray());
      out.flush();
      int type = read(in);
      if (type != 1) {
        throw new IOException("expected the collector's OPEN, got type " + type);
      }
      message(4, new byte[0]);
      out.flush();
      type = read(in);
      if (type != 4) {
        throw new IOException("expected KEEPALIVE, got type " + type);
      }
      // the collector's KEEPALIVEs are read and dropped by a daemon thread
      Thread reader =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    read(in);
                  }
                } catch (IOException e) {
                  // session closed
                }
              },
              "bench-bgp-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private static int read(DataInputStream in) throws IOException {
      byte[] h = new byte[19];
      in.readFully(h);
      int len = ((h[16] & 0xff) << 8) | (h[17] & 0xff);
      if (len < 19 || len > 4096) {
        throw new IOException("BGP message length " + len);
      }
      in.readFully(new byte[len - 19]);
      return h[18];
    }

    private void message(int type, byte[] body) throws IOException {
      int len = 19 + body.length;
      for (int k = 0; k < 16; k++) {
        out.write(0xff);
      }
      out.write(len >> 8);
      out.write(len & 0xff);
      out.write(type);
      out.write(body);
    }

    @Override
    long send(long n) throws Exception {
      long sent = 0;
      ByteArrayOutputStream u = new ByteArrayOutputStream(128);
      while (sent < n) {
        long round = i / 65536;
        u.reset();
        u.write(0); // withdrawn routes length
        u.write(0);
        // ORIGIN IGP; AS_PATH (AS_SEQUENCE, 4-octet) 65061 64801|64802 64998; NEXT_HOP
        byte[] attrs = {
          0x40,
          1,
          1,
          0,
          0x40,
          2,
          14,
          2,
          3,
          0,
          0,
          (byte) 0xfe,
          0x25,
          0,
          0,
          (byte) 0xfd,
          (byte) (round % 2 == 0 ? 0x21 : 0x22),
          0,
          0,
          (byte) 0xfd,
          (byte) 0xe6,
          0x40,
          3,
          4,
          127,
          0,
          0,
          61
        };
        u.write(0);
        u.write(attrs.length);
        u.write(attrs);
        for (int k = 0; k < PER_UPDATE; k++, i++) {
          int j = (int) (i % 65536);
          u.write(24);
          u.write(10);
          u.write(j >> 8);
          u.write(j & 0xff);
        }
        message(2, u.toByteArray());
        messages.incrementAndGet();
        sent += PER_UPDATE;
      }
      return sent;
    }

    @Override
    void flush() throws IOException {
      out.flush();
    }

    @Override
    void close() throws IOException {
      if (socket != null) {
        socket.close();
      }
    }

    @Override
    String achieved(long nanos) {
      double s = nanos / 1e9;
      return String.format(
          Locale.ROOT,
          "BGP %,d routes/s in %,d UPDATEs/s (target %,d routes/s)",
          Math.round(units.get() / s),
          Math.round(messages.get() / s),
          rate);
    }
  }
}
