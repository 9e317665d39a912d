package io.routewatch.state.outage;

/**
 * One outage of a subject: visibility below the threshold for longer than the hold time.
 *
 * @param scope what the subject is
 * @param subject prefix text, origin ASN as text, or country code
 * @param startMicros when visibility went below the threshold
 * @param endMicros when visibility came back above the clear threshold (for good), -1 while open
 * @param depth the lowest visibility seen during the outage
 */
public record Outage(Scope scope, String subject, long startMicros, long endMicros, double depth) {
  public enum Scope {
    PREFIX,
    ORIGIN,
    COUNTRY
  }

  public boolean open() {
    return endMicros < 0;
  }

  /** Duration so far (open) or in total (closed), given the current time. */
  public long durationMicros(long nowMicros) {
    return (endMicros < 0 ? nowMicros : endMicros) - startMicros;
  }
}
