package io.routewatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.proto.v1.ImportJob;
import io.routewatch.proto.v1.ImportState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, acceptance 4: the page state serves at {@code /} loads in headless Chromium against a
 * running state holding the real 2015 North Korea baseline and shows AS131279's upstream AS4837
 * with its share bar; the screenshot is kept as e2e/target/web.png. The alert service is left
 * unreachable on purpose: the page must say so instead of breaking.
 */
class WebPageIT {
  static Stack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = new Stack(Map.of("ROUTEWATCH_ALERT_URL", "http://127.0.0.1:1"));
    stack.startState();
    stack.startCollector();
    Path file = Stack.data().resolve("mrt/ripe-bgpdump/updates.et-header.2015.gz");
    ImportJob job = stack.importFile(file, "rrc-2015", Duration.ofMinutes(2));
    assertEquals(ImportState.DONE, job.getState(), job.toString());
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void pageShowsTheUpstreamsOfNorthKorea() throws Exception {
    // live=0: an open SSE stream would keep Chromium's virtual time from advancing (checked below)
    String url = "http://127.0.0.1:" + stack.statePort + "/?live=0";
    String dom = chromium("--dump-dom", url);
    // the network section of AS131279 with a row for its upstream AS4837 at 100 % of VP paths
    int net = dom.indexOf("data-target=\"AS131279\"");
    assertTrue(net >= 0, "no AS131279 section in:\n" + dom);
    String section = dom.substring(net);
    assertTrue(
        section.contains(
            "<tr class=\"upstream\" data-upstream=\"4837\"><td>AS4837</td><td class=\"num\">100.0 %</td>"),
        section);
    assertTrue(
        section.contains("class=\"bar u0\" style=\"width:160px\""), "full share bar: " + section);
    // the share chart drawn from /api/v1/history has a band for AS4837
    assertTrue(dom.contains("class=\"band\" data-upstream=\"4837\""), "no chart band in:\n" + dom);
    // alert service unreachable: said so, page intact
    assertTrue(
        dom.contains("alerts unavailable: alert service at http://127.0.0.1:1 unreachable"), dom);

    Path shot = Paths.get("target", "web.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    chromium("--screenshot=" + shot, "--window-size=1280,900", url);
    assertTrue(Files.size(shot) > 10_000, "screenshot " + shot);
    // the screenshot shows the share bar: a row of pixels in the bar colour (.bar.u0, #d62728)
    // 160 px wide (100 %), drawn without transparency (the chart's bands are blended)
    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(shot.toFile());
    int longest = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      int run = 0;
      for (int x = 0; x < img.getWidth(); x++) {
        run = (img.getRGB(x, y) & 0xffffff) == 0xd62728 ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
    }
    assertTrue(
        longest >= 158 && longest <= 162,
        "a 160 px share bar in the screenshot; longest run " + longest + " px");
  }

  /** The live channel: /web/live answers as an event stream and sends a tick at once. */
  @Test
  void liveUpdatesAreServerSentEvents() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var req =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + stack.statePort + "/web/live"))
            .header("Accept", "text/event-stream")
            .build();
    var resp = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, resp.statusCode());
    assertTrue(
        resp.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    String first = resp.body().filter(l -> l.startsWith("data:")).findFirst().orElseThrow();
    assertTrue(first.matches("data: ?\\{\"sequence\":\\d+,\"keepAlive\":false}"), first);
  }

  /**
   * The share chart of the same history through the CLI (`routewatch plot upstreams`). The 2015
   * archive holds the baseline only; the North Korea scenario test charts the 2017 story.
   */
  @Test
  void plotOfTheImportedHistory() throws Exception {
    Path svg = Paths.get("target", "kp-2015-share.svg").toAbsolutePath();
    Path png = Paths.get("target", "kp-2015-share.png").toAbsolutePath();
    String state = "127.0.0.1:" + stack.statePort;
    for (Path out : List.of(svg, png)) {
      int rc =
          io.routewatch.cli.Main.run(
              "plot",
              "upstreams",
              "AS131279",
              "--state",
              state,
              "--from",
              "2015-10-23T00:00Z",
              "--to",
              "2015-10-23T06:00Z",
              "-o",
              out.toString());
      assertTrue(rc == 0 || rc == 1, "plot exit code " + rc);
      assertTrue(Files.size(out) > 1000, out.toString());
    }
    System.out.println(
        Files.readString(svg).lines().filter(l -> l.contains("class=\"band\"")).toList());
  }

  /** Runs headless Chromium once with a fresh profile; returns stdout. */
  static String chromium(String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("chromium-profile-");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=5000"));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("chromium-", ".out");
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectOutput(out.toFile())
            .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("chromium did not finish in 90 s: " + cmd);
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
