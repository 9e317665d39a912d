package io.routewatch.cli.plot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Pixel geometry of the stacked share chart, shared by the SVG and PNG renderers so both draw the
 * same picture: plot area, time and share scales, one polygon per upstream band, time ticks.
 */
final class ChartGeometry {
  static final int WIDTH = 1000;
  static final int HEIGHT = 440;
  static final int LEFT = 64;
  static final int RIGHT = 250;
  static final int TOP = 48;
  static final int BOTTOM = 56;
  static final String[] COLORS = {
    "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#7f7f7f"
  };
  private static final long[] TICK_STEPS_S = {
    60, 300, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 2592000
  };

  /** Room for a legend label: from its text start to the right edge, less a margin. */
  static final int LEGEND_ROOM = WIDTH - (WIDTH - RIGHT + 16 + 20) - 8;

  private static final java.awt.Font LEGEND_FONT =
      new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12);
  private static final java.awt.Font TITLE_FONT = LEGEND_FONT.deriveFont(java.awt.Font.BOLD, 16f);
  private static final java.awt.font.FontRenderContext FRC =
      new java.awt.font.FontRenderContext(null, true, true);

  /**
   * The label shortened with "…" until it fits {@code room} pixels in the chart's 12 px sans-serif
   * (measured with the same font the PNG is drawn in; the SVG names DejaVu Sans, Debian's sans).
   */
  static String fit(String label, int room) {
    return fit(label, "", room, LEGEND_FONT);
  }

  /**
   * {@code head + tail}, {@code head} shortened with "…" until the whole fits {@code room} in
   * {@code font}.
   */
  private static String fit(String head, String tail, int room, java.awt.Font font) {
    if (width(head + tail, font) <= room) {
      return head + tail;
    }
    String cut = head;
    while (cut.length() > 1 && width(cut + "…" + tail, font) > room) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut.stripTrailing() + "…" + tail;
  }

  static double width(String text) {
    return width(text, LEGEND_FONT);
  }

  static double width(String text, java.awt.Font font) {
    return font.getStringBounds(text, FRC).getWidth();
  }

  /** Room for the title: the image width from its left margin, less a margin. */
  static final int TITLE_ROOM = WIDTH - LEFT - 8;

  static double titleWidth(String text) {
    return width(text, TITLE_FONT);
  }

  final ShareSeries s;

  ChartGeometry(ShareSeries s) {
    this.s = s;
  }

  int plotWidth() {
    return WIDTH - LEFT - RIGHT;
  }

  int plotHeight() {
    return HEIGHT - TOP - BOTTOM;
  }

  double x(long t) {
    return LEFT + (double) (t - s.from()) / (s.to() - s.from()) * plotWidth();
  }

  double y(double share) {
    return TOP + (1 - share) * plotHeight();
  }

  /** Polygon (x, y pairs) of band u: top edge left→right, then bottom edge right→left. */
  double[][] band(int u) {
    long[] t = s.times();
    List<double[]> top = new ArrayList<>();
    List<double[]> bottom = new ArrayList<>();
    for (int i = 0; i < t.length; i++) {
      double lower = 0;
      for (int v = 0; v < u; v++) {
        lower += s.values()[v][i];
      }
      double upper = lower + s.values()[u][i];
      double x0 = x(t[i]);
      double x1 = x(i + 1 < t.length ? t[i + 1] : s.to());
      top.add(new double[] {x0, y(upper)});
      top.add(new double[] {x1, y(upper)});
      bottom.add(new double[] {x0, y(lower)});
      bottom.add(new double[] {x1, y(lower)});
    }
    List<double[]> all = new ArrayList<>(top);
    for (int i = bottom.size() - 1; i >= 0; i--) {
      all.add(bottom.get(i));
    }
    return all.toArray(new double[0][]);
  }

  String color(int u) {
    return COLORS[u % COLORS.length];
  }

  /** Tick times (µs) at a round step giving at most ~10 ticks. */
  long[] ticks() {
    long spanS = (s.to() - s.from()) / 1_000_000L;
    long step = TICK_STEPS_S[TICK_STEPS_S.length - 1];
    for (long c : TICK_STEPS_S) {
      if (spanS / c <= 10) {
        step = c;
        break;
      }
    }
    long stepUs = step * 1_000_000L;
    long first = Math.floorDiv(s.from() + stepUs - 1, stepUs) * stepUs;
    List<Long> out = new ArrayList<>();
    for (long t = first; t <= s.to(); t += stepUs) {
      out.add(t);
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /** "10-01 09:00" on the first tick and on a day change, "10:00" otherwise. */
  static String tickLabel(long t, long previous) {
    Instant i = Instant.ofEpochSecond(t / 1_000_000L);
    boolean newDay = previous < 0 || (t / 86_400_000_000L) != (previous / 86_400_000_000L);
    return DateTimeFormatter.ofPattern(newDay ? "MM-dd HH:mm" : "HH:mm")
        .withZone(ZoneOffset.UTC)
        .format(i);
  }

  /** "Upstreams of AS131279 <name> — share of VP paths", the name shortened to fit the width. */
  static String title(ShareSeries s, String name) {
    return fit(
        "Upstreams of AS" + s.asn() + (name.isEmpty() ? "" : " " + name),
        " — share of VP paths",
        TITLE_ROOM,
        TITLE_FONT);
  }

  static String range(ShareSeries s) {
    DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    return f.format(Instant.ofEpochSecond(s.from() / 1_000_000L))
        + " – "
        + f.format(Instant.ofEpochSecond(s.to() / 1_000_000L))
        + " UTC";
  }
}
