package io.routewatch.collector.health;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Logs refused connections at most once per source per interval (one minute): a router or scanner
 * retrying every second must not fill the log. Refusals in between are counted and reported with
 * the next line of that source ("… (12 more since the last line)"); every refusal is still counted
 * in its metric. Sources are kept in a bounded LRU map ({@value #MAX_SOURCES}): a flood from many
 * addresses forgets the oldest, which at worst logs them again.
 */
public final class RefusalLog {
  static final int MAX_SOURCES = 4096;

  private final Consumer<String> warn;
  private final long intervalNanos;
  private final LongSupplier clock;
  private final Map<InetAddress, long[]> last =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, long[]> e) {
          return size() > MAX_SOURCES;
        }
      };

  public RefusalLog(Logger log) {
    this(log::warn, 60_000_000_000L, System::nanoTime);
  }

  RefusalLog(Consumer<String> warn, long intervalNanos, LongSupplier clock) {
    this.warn = warn;
    this.intervalNanos = intervalNanos;
    this.clock = clock;
  }

  /**
   * A refused connection from {@code source}: logs {@code message} (WARN) unless this source was
   * logged less than an interval ago. Returns true when it logged.
   */
  public synchronized boolean refused(InetAddress source, String message) {
    long now = clock.getAsLong();
    long[] s = last.get(source); // {time of the last line, refusals not logged since}
    if (s != null && now - s[0] < intervalNanos) {
      s[1]++;
      return false;
    }
    long suppressed = s == null ? 0 : s[1];
    last.put(source, new long[] {now, 0});
    warn.accept(
        suppressed == 0
            ? message + " (logged at most once a minute per source)"
            : message + " (" + suppressed + " more since the last line)");
    return true;
  }
}
