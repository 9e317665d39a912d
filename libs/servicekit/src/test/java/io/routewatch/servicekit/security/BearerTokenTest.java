package io.routewatch.servicekit.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.servicekit.security.BearerToken.Verdict;
import org.junit.jupiter.api.Test;

class BearerTokenTest {
  private final BearerToken token = new BearerToken("s3cret-token");

  @Test
  void acceptsTheTokenWithAnyCaseOfTheScheme() {
    assertEquals(Verdict.OK, token.check("Bearer s3cret-token"));
    assertEquals(Verdict.OK, token.check("bearer s3cret-token"));
    assertEquals(Verdict.OK, token.check(BearerToken.header("s3cret-token")));
  }

  @Test
  void namesWhatIsWrong() {
    assertEquals(Verdict.MISSING, token.check(null));
    assertEquals(Verdict.MISSING, token.check(""));
    assertEquals(Verdict.MALFORMED, token.check("s3cret-token"));
    assertEquals(Verdict.MALFORMED, token.check("Basic czNjcmV0LXRva2Vu"));
    assertEquals(Verdict.MALFORMED, token.check("Bearer "));
    assertEquals(Verdict.WRONG, token.check("Bearer s3cret-toke"));
    assertEquals(Verdict.WRONG, token.check("Bearer s3cret-token2"));
    assertTrue(Verdict.MISSING.message.contains("routewatch.security.api-token"));
  }

  @Test
  void refusesAnEmptyExpectedToken() {
    assertThrows(IllegalArgumentException.class, () -> new BearerToken(" "));
  }

  @Test
  void onlyApiPathsAreGuarded() {
    assertTrue(ApiTokenFilter.isApi("/api/v1/stats"));
    assertTrue(ApiTokenFilter.isApi("api/v1/alerts"));
    assertTrue(ApiTokenFilter.isApi("/api"));
    assertFalse(ApiTokenFilter.isApi("/apidocs"));
    assertTrue(ApiTokenFilter.isApi("/web/alerts"), "the page's data follows the read role");
    assertTrue(ApiTokenFilter.isApi("/web/live"));
    assertFalse(ApiTokenFilter.isApi("/app.js"));
    assertFalse(ApiTokenFilter.isApi("/webfonts/x"));
    assertFalse(ApiTokenFilter.isApi("/q/health/ready"));
  }
}
