package io.routewatch.servicekit.security;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ExposureCheckTest {
  @Test
  void loopbackNeedsNothing() {
    assertNull(ExposureCheck.problem("127.0.0.1", false, "NONE"));
    assertNull(ExposureCheck.problem("localhost", false, "NONE"));
    assertNull(ExposureCheck.problem("::1", false, "NONE"));
    assertNull(ExposureCheck.problem("127.0.0.2", false, "NONE"));
  }

  @Test
  void beyondLoopbackNeedsATokenOrMtls() {
    assertNotNull(ExposureCheck.problem("0.0.0.0", false, "NONE"));
    assertNotNull(ExposureCheck.problem("::", false, "NONE"));
    assertNotNull(ExposureCheck.problem("198.18.0.11", false, "REQUEST"));
    assertNull(ExposureCheck.problem("0.0.0.0", true, "NONE"));
    assertNull(ExposureCheck.problem("0.0.0.0", false, "REQUIRED"));
  }
}
