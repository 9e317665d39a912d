package io.routewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** helm lint --strict (warnings are failures) through helm-java. */
class ChartLintTest {
  @Test
  void lintStrictPasses() {
    LintResult result = new Helm(Flavour.CHART.dir()).lint().strict().call();
    result.getMessages().forEach(m -> System.out.println("helm lint: " + m));
    assertFalse(result.isFailed(), () -> "helm lint --strict failed: " + result.getMessages());
  }
}
