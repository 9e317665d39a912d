package io.routewatch.servicekit.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The expected token and the check of an {@code Authorization} value against it. Pure: no CDI, so
 * the comparison is unit-tested alone and the CLI could reuse it.
 */
public final class BearerToken {
  static final String SCHEME = "bearer ";

  private final byte[] expectedDigest;

  public BearerToken(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("empty API token");
    }
    this.expectedDigest = sha256(token);
  }

  /** Why a request was refused, or {@link #OK}; the message goes to the client as is. */
  public enum Verdict {
    OK(""),
    MISSING(
        "missing API token: send 'authorization: Bearer <token>' (routewatch.security.api-token)"),
    MALFORMED("malformed authorization header: expected 'Bearer <token>'"),
    WRONG("invalid API token"),
    FORBIDDEN("this token's role does not allow the call");

    public final String message;

    Verdict(String message) {
      this.message = message;
    }
  }

  /**
   * Checks a raw header value. Both sides are hashed first, so the constant-time comparison always
   * sees two 32-byte arrays and leaks neither the content nor the length of the token.
   */
  public Verdict check(String authorization) {
    if (authorization == null || authorization.isEmpty()) {
      return Verdict.MISSING;
    }
    if (authorization.length() <= SCHEME.length()
        || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return Verdict.MALFORMED;
    }
    String presented = authorization.substring(SCHEME.length()).trim();
    return MessageDigest.isEqual(expectedDigest, sha256(presented)) ? Verdict.OK : Verdict.WRONG;
  }

  /** The header value a client sends. */
  public static String header(String token) {
    return "Bearer " + token;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
    }
  }
}
