package io.routewatch.alert.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Acceptance 3a: the rules file the Helm chart reuses is valid and does what its tests say. */
class PromtoolRulesTest {
  static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish within 60 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
    return out;
  }

  @Test
  void checkRules() throws Exception {
    String out = run("promtool", "check", "rules", "src/main/resources/routewatch.rules.yml");
    assertTrue(out.contains("SUCCESS: 17 rules found"), out);
  }

  @Test
  void testRules() throws Exception {
    String out =
        run("promtool", "test", "rules", "src/test/resources/promtool/routewatch.rules.test.yml");
    assertTrue(out.contains("SUCCESS"), out);
  }
}
