package io.routewatch.servicekit.log;

/**
 * Client-given text (a subscriber name, a stream id, an Alertmanager's response body) made safe to
 * put in a log line: it cannot start a new line, forge one (CR, LF, NEL, U+2028/2029), hide text
 * behind terminal escapes or bidi overrides, or flood the log. Backslashes are doubled, so an
 * escape in the output always came from us. Long text is cut at {@link #MAX} characters (a
 * surrogate pair is never split) and says how much was cut.
 */
public final class LogText {
  /** Default bound in characters of the original text. */
  public static final int MAX = 128;

  private LogText() {}

  public static String safe(CharSequence s) {
    return safe(s, MAX);
  }

  public static String safe(CharSequence s, int max) {
    if (s == null) {
      return "null";
    }
    int n = s.length();
    int end = Math.min(n, Math.max(0, max));
    if (end < n && end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--; // keep the pair whole: cut before it
    }
    StringBuilder out = new StringBuilder(end + 16);
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < end
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i)); // a whole pair: an emoji, a CJK extension
          } else if (Character.isSurrogate(c) || unsafe(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (end < n) {
      out.append("…(+").append(n - end).append(" chars)");
    }
    return out.toString();
  }

  /**
   * C0/C1 controls and DEL (ESC starts terminal sequences, NEL U+0085 ends a line for some
   * readers), line/paragraph separators, bidi embeddings/overrides/isolates (text that reads
   * differently than it is), and lone surrogates (invalid UTF-16 that encoders replace).
   */
  private static boolean unsafe(char c) {
    return Character.isISOControl(c)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200e'
        || c == '\u200f'
        || c == '\u061c'
        || c == '\ufeff';
  }
}
