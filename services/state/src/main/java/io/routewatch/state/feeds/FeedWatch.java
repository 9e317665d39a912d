package io.routewatch.state.feeds;

import io.routewatch.bgp.nlri.IpText;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.FeedKind;
import io.routewatch.proto.v1.RouteEvent;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.VantagePoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which live feeds have gone silent beyond their rhythm. A <em>source</em> is one collector stream
 * of a live feed, named {@code rislive:<collector>}, {@code bmp:<router>} or {@code bgp:<peer>}
 * (the stream id without its start time); a <em>VP</em> of a RIS Live or BMP source is named {@code
 * vp:<collector>/<peer address>/AS<peer AS>}. Each learns its rhythm ({@link FeedRhythm}) from the
 * batches and events state applies, and {@link #check} (on the writer's clock tick, so a feed that
 * sends nothing at all is judged too) reports one that stays silent past {@link
 * FeedPolicy#staleAfterNanos}; its next message reports it resumed.
 *
 * <p>What is judged: RIS Live and BMP sources and their VPs. A BGP session is not: it sends
 * KEEPALIVEs the collector answers but does not forward, so a session that is up and silent is a
 * quiet network, and a dead one is caught by its hold timer (PEER_DOWN). MRT archives are finite
 * and not tracked. A VP is not judged while its source is stale (one report for the source, with
 * its VP count). A feed closed (the stream's end-of-stream batch, or a VP's PEER_DOWN) is
 * forgotten: a session going down is reported by visibility, not staleness. A stale VP that goes
 * down is reported resumed ("closed") so its alert resolves; a stale source that is closed (the
 * collector's idle timeout gave up on it, or the collector stopped) stays stale until it is heard
 * again.
 *
 * <p>Bounded: at most {@code max-feeds} feeds are tracked; a new one evicts the least recently
 * heard one that is not stale. Writer thread only; {@link #stats} may be read from any thread.
 */
public final class FeedWatch {
  /** Whether a feed is a whole source or one VP of one. */
  public enum Level {
    SOURCE,
    VP
  }

  /** A feed went stale ({@code stale}) or resumed; {@code timeMicros} is its last message then. */
  public record FeedChange(
      boolean stale, String feed, Level level, long timeMicros, int vpCount, String detail) {}

  /** One source's figures, for the metrics. */
  public record SourceStatus(String feed, boolean judged, boolean stale, double silenceSeconds) {}

  /** Counts and source figures as of the last {@link #check}. */
  public record Stats(
      int sources, int vps, int staleSources, int staleVps, List<SourceStatus> sourceStatus) {
    static final Stats EMPTY = new Stats(0, 0, 0, 0, List.of());
  }

  /** A gap between two checks longer than this means state itself did not run. */
  static final long PAUSE_NANOS = 5_000_000_000L;

  private static final class Feed {
    final String name;
    final Level level;
    final boolean judged;
    final String source; // the VP's source; null for a source
    final FeedRhythm rhythm;
    long lastWallMicros;
    boolean stale;

    Feed(String name, Level level, boolean judged, String source, FeedRhythm rhythm) {
      this.name = name;
      this.level = level;
      this.judged = judged;
      this.source = source;
      this.rhythm = rhythm;
    }
  }

  private final FeedPolicy policy;

  /** Least recently heard first (an arrival moves a feed to the end). */
  private final LinkedHashMap<String, Feed> feeds = new LinkedHashMap<>();

  private long lastCheck;
  private long evicted;
  private long untracked;
  private volatile Stats stats = Stats.EMPTY;

  public FeedWatch(FeedPolicy policy) {
    this.policy = policy;
  }

  /** The source name of a batch, or null for feeds that are not tracked (archives). */
  static String sourceName(RouteEventBatch b) {
    String tag =
        switch (b.getSource().getFeed()) {
          case RIS_LIVE -> "rislive";
          case BMP -> "bmp";
          case BGP -> "bgp";
          default -> null;
        };
    if (tag == null) {
      return null;
    }
    String id = b.getStreamId();
    int slash = id.indexOf('/');
    String middle = slash >= 0 ? id.substring(slash + 1) : id;
    int last = middle.lastIndexOf('/');
    String tail = last >= 0 ? middle.substring(last + 1) : middle;
    if (!tail.isEmpty() && tail.chars().allMatch(Character::isDigit)) {
      middle = last >= 0 ? middle.substring(0, last) : ""; // the stream's start time
    }
    if (middle.isEmpty()) {
      middle = b.getCollector().isEmpty() ? b.getSource().getCollector() : b.getCollector();
    }
    return tag + ":" + middle;
  }

  /** The VP's feed name, or null when its address is malformed. */
  static String vpName(RouteEventBatch b, VantagePoint v) {
    byte[] a = v.getPeerAddress().toByteArray();
    if (a.length != 4 && a.length != 16) {
      return null;
    }
    String collector = v.getCollector().isEmpty() ? b.getCollector() : v.getCollector();
    return "vp:"
        + collector
        + "/"
        + IpText.format(a)
        + "/AS"
        + Integer.toUnsignedString(v.getPeerAsn());
  }

  /** A batch was applied at {@code nanos} (monotonic) / {@code wallMicros}. */
  public List<FeedChange> batch(RouteEventBatch b, long nanos, long wallMicros) {
    String name = sourceName(b);
    if (name == null) {
      return List.of();
    }
    List<FeedChange> out = new ArrayList<>(0);
    if (b.getEndOfStream()) {
      // the collector closed this stream on purpose: it and its VPs are forgotten, not stale
      List<String> gone = new ArrayList<>();
      for (Feed f : feeds.values()) {
        if (name.equals(f.source)) {
          gone.add(f.name);
        }
      }
      for (String g : gone) {
        close(g, wallMicros, out);
      }
      Feed f = feeds.remove(name);
      if (f != null && f.stale) {
        // closed after it went silent (the collector's own idle timeout, a shutdown): still no
        // data from it, so it stays stale until it is heard again
        carryStale(name, f.lastWallMicros);
      }
      return out;
    }
    FeedKind kind = b.getSource().getFeed();
    boolean judged = kind == FeedKind.RIS_LIVE || kind == FeedKind.BMP;
    Feed src = heard(name, Level.SOURCE, judged, null, nanos, wallMicros, out);
    if (src != null && src.judged && policy.vantagePoints()) {
      int refs = b.getVantagePointsCount();
      String[] names = new String[refs];
      boolean[] done = new boolean[refs];
      for (RouteEvent e : b.getEventsList()) {
        int ref = e.getVpRef();
        if (ref < 0 || ref >= refs) {
          continue; // the applier counts and skips it
        }
        if (names[ref] == null) {
          names[ref] = vpName(b, b.getVantagePoints(ref));
          if (names[ref] == null) {
            done[ref] = true;
            continue;
          }
        }
        if (e.getKind() == EventKind.PEER_DOWN) {
          close(names[ref], wallMicros, out);
          done[ref] = false;
        } else if (!done[ref]) {
          heard(names[ref], Level.VP, true, name, nanos, wallMicros, out);
          done[ref] = true;
        }
      }
    }
    return out;
  }

  private Feed heard(
      String name,
      Level level,
      boolean judged,
      String source,
      long nanos,
      long wallMicros,
      List<FeedChange> out) {
    Feed f = feeds.remove(name);
    if (f == null) {
      if (feeds.size() >= policy.maxFeeds() && !evictOne()) {
        untracked++;
        return null;
      }
      f = new Feed(name, level, judged, source, policy.newRhythm());
    }
    feeds.put(name, f); // most recently heard last
    if (f.stale) {
      f.stale = false;
      f.rhythm.restartAt(nanos); // the silence was a failure, not its rhythm
      out.add(
          new FeedChange(
              false,
              name,
              level,
              wallMicros,
              vpCount(name, level),
              name + " resumed after " + seconds(wallMicros - f.lastWallMicros) + " s of silence"));
      if (level == Level.SOURCE) {
        for (Feed v : feeds.values()) {
          if (name.equals(v.source) && !v.stale) {
            v.rhythm.restartAt(nanos); // its VPs were not judged meanwhile
          }
        }
      }
    } else {
      f.rhythm.arrival(nanos);
    }
    f.lastWallMicros = wallMicros;
    return f;
  }

  private boolean evictOne() {
    Iterator<Feed> it = feeds.values().iterator();
    while (it.hasNext()) {
      if (!it.next().stale) {
        it.remove();
        evicted++;
        return true;
      }
    }
    return false;
  }

  private void close(String name, long wallMicros, List<FeedChange> out) {
    Feed f = feeds.remove(name);
    if (f != null && f.stale) {
      out.add(new FeedChange(false, name, f.level, wallMicros, 0, name + " closed"));
    }
  }

  /**
   * A feed reported stale before state restarted and not resumed since: it counts as stale (its
   * first message reports it resumed) without a rhythm.
   */
  public void carryStale(String name, long wallMicros) {
    if (feeds.containsKey(name) || feeds.size() >= policy.maxFeeds()) {
      return;
    }
    Level level = name.startsWith("vp:") ? Level.VP : Level.SOURCE;
    Feed f = new Feed(name, level, true, null, policy.newRhythm());
    f.stale = true;
    f.lastWallMicros = wallMicros;
    feeds.put(name, f);
  }

  /** Judges every feed at {@code nanos}: the ones silent past their rhythm are reported stale. */
  public List<FeedChange> check(long nanos) {
    if (lastCheck != 0 && nanos - lastCheck > PAUSE_NANOS) {
      // state did not run (writer paused or starved): that is not the feeds' silence
      long gap = nanos - lastCheck;
      for (Feed f : feeds.values()) {
        f.rhythm.shift(gap);
      }
    }
    lastCheck = nanos;
    List<FeedChange> out = new ArrayList<>(0);
    Map<String, Integer> vps = new HashMap<>();
    for (Feed f : feeds.values()) {
      if (f.source != null) {
        vps.merge(f.source, 1, Integer::sum);
      }
    }
    int sources = 0;
    int staleSources = 0;
    int staleVps = 0;
    List<SourceStatus> status = new ArrayList<>();
    for (Level pass : Level.values()) { // sources first: their VPs are not judged when stale
      for (Feed f : feeds.values()) {
        if (f.level != pass) {
          continue;
        }
        if (f.judged && !f.stale && !(pass == Level.VP && sourceStale(f))) {
          long after = policy.staleAfterNanos(f.rhythm);
          long silence = f.rhythm.silenceNanos(nanos);
          if (after > 0 && silence > after) {
            f.stale = true;
            out.add(
                new FeedChange(
                    true,
                    f.name,
                    f.level,
                    f.lastWallMicros,
                    pass == Level.SOURCE ? vps.getOrDefault(f.name, 0) : 1,
                    String.format(
                        Locale.ROOT,
                        "%s silent for %.1f s: usual longest gap %.1f s, stale after %.1f s",
                        f.name,
                        silence / 1e9,
                        f.rhythm.rhythmNanos() / 1e9,
                        after / 1e9)));
          }
        }
        if (pass == Level.SOURCE) {
          sources++;
          staleSources += f.stale ? 1 : 0;
          status.add(
              new SourceStatus(f.name, f.judged, f.stale, f.rhythm.silenceNanos(nanos) / 1e9));
        } else {
          staleVps += f.stale ? 1 : 0;
        }
      }
    }
    stats = new Stats(sources, feeds.size() - sources, staleSources, staleVps, status);
    return out;
  }

  private boolean sourceStale(Feed vp) {
    Feed s = vp.source == null ? null : feeds.get(vp.source);
    return s != null && s.stale;
  }

  private int vpCount(String name, Level level) {
    if (level == Level.VP) {
      return 1;
    }
    int n = 0;
    for (Feed f : feeds.values()) {
      if (name.equals(f.source)) {
        n++;
      }
    }
    return n;
  }

  private static String seconds(long micros) {
    return String.format(Locale.ROOT, "%.1f", micros / 1e6);
  }

  /** As of the last check; any thread. */
  public Stats stats() {
    return stats;
  }

  public long evicted() {
    return evicted;
  }

  public long untracked() {
    return untracked;
  }

  /** Feeds tracked now (writer thread). */
  public int size() {
    return feeds.size();
  }
}
