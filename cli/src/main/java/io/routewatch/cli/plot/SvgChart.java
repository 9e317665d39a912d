package io.routewatch.cli.plot;

import java.util.Locale;
import java.util.function.LongFunction;

/**
 * The share chart as hand-written SVG (no library). Each band is a {@code <path class="band">}
 * whose {@code data-upstream} and {@code data-series} ("µs:share ..." per step) carry the exact
 * values drawn, so scripts and tests read the numbers back without tracing pixels; outages are
 * {@code <rect class="outage" data-start data-end>}.
 */
public final class SvgChart {
  private SvgChart() {}

  /**
   * @param names ASN → display name ("" when unknown)
   */
  public static String render(ShareSeries s, LongFunction<String> names) {
    ChartGeometry g = new ChartGeometry(s);
    StringBuilder b = new StringBuilder(16_384);
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    b.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\" data-asn=\"%d\" data-from=\"%d\" data-to=\"%d\">\n",
            ChartGeometry.WIDTH,
            ChartGeometry.HEIGHT,
            ChartGeometry.WIDTH,
            ChartGeometry.HEIGHT,
            s.asn(),
            s.from(),
            s.to()));
    b.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    b.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"22\" font-size=\"16\" font-weight=\"bold\">%s</text>\n",
            ChartGeometry.LEFT,
            esc(ChartGeometry.title(s, names.apply(s.asn())))));
    b.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"38\" fill=\"#555\">%s</text>\n",
            ChartGeometry.LEFT,
            esc(ChartGeometry.range(s))));
    // grid + y axis
    for (int p = 0; p <= 100; p += 20) {
      double y = g.y(p / 100.0);
      b.append(
          String.format(
              Locale.ROOT,
              "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>\n",
              ChartGeometry.LEFT,
              y,
              ChartGeometry.LEFT + g.plotWidth(),
              y));
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#333\">%d %%</text>\n",
              ChartGeometry.LEFT - 6,
              y + 4,
              p));
    }
    // bands
    b.append("<g class=\"bands\">\n");
    for (int u = 0; u < s.upstreams().length; u++) {
      StringBuilder d = new StringBuilder();
      double[][] poly = g.band(u);
      for (int i = 0; i < poly.length; i++) {
        d.append(i == 0 ? 'M' : 'L')
            .append(String.format(Locale.ROOT, "%.2f,%.2f ", poly[i][0], poly[i][1]));
      }
      d.append('Z');
      StringBuilder series = new StringBuilder();
      for (int i = 0; i < s.times().length; i++) {
        series
            .append(i == 0 ? "" : " ")
            .append(s.times()[i])
            .append(':')
            .append(String.format(Locale.ROOT, "%.4f", s.values()[u][i]));
      }
      long up = s.upstreams()[u];
      b.append(
          String.format(
              Locale.ROOT,
              "<path class=\"band\" data-upstream=\"%d\" data-series=\"%s\" fill=\"%s\" fill-opacity=\"0.85\" stroke=\"%s\" stroke-width=\"0.5\" d=\"%s\"><title>AS%d %s</title></path>\n",
              up,
              series,
              g.color(u),
              g.color(u),
              d,
              up,
              esc(names.apply(up))));
    }
    b.append("</g>\n");
    // outages
    b.append("<g class=\"outages\">\n");
    for (long[] o : s.outages()) {
      double x0 = g.x(o[0]);
      double w = Math.max(1.5, g.x(o[1]) - x0);
      b.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"outage\" data-start=\"%d\" data-end=\"%d\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"#000000\" fill-opacity=\"0.18\"><title>outage</title></rect>\n",
              o[0],
              o[1],
              x0,
              ChartGeometry.TOP,
              w,
              g.plotHeight()));
    }
    b.append("</g>\n");
    // x axis
    int yAxis = ChartGeometry.TOP + g.plotHeight();
    b.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
            ChartGeometry.LEFT,
            yAxis,
            ChartGeometry.LEFT + g.plotWidth(),
            yAxis));
    long prev = -1;
    for (long t : g.ticks()) {
      double x = g.x(t);
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>\n",
              x,
              yAxis,
              x,
              yAxis + 5));
      b.append(
          String.format(
              Locale.ROOT,
              "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#333\">%s</text>\n",
              x,
              yAxis + 19,
              ChartGeometry.tickLabel(t, prev)));
      prev = t;
    }
    b.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">time (UTC)</text>\n",
            ChartGeometry.LEFT + g.plotWidth() / 2,
            ChartGeometry.HEIGHT - 10));
    // legend
    int lx = ChartGeometry.WIDTH - ChartGeometry.RIGHT + 16;
    int ly = ChartGeometry.TOP + 6;
    for (int u = s.upstreams().length - 1; u >= 0; u--) {
      long up = s.upstreams()[u];
      b.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>\n",
              lx,
              ly,
              g.color(u)));
      b.append(
          String.format(
              Locale.ROOT,
              "<text class=\"legend\" x=\"%d\" y=\"%d\">%s</text>\n",
              lx + 20,
              ly + 12,
              esc(legend(up, names))));
      ly += 22;
    }
    if (!s.outages().isEmpty()) {
      b.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"#000000\" fill-opacity=\"0.18\"/>\n",
              lx,
              ly));
      b.append(
          String.format(
              Locale.ROOT,
              "<text class=\"legend\" x=\"%d\" y=\"%d\">outage (%d)</text>\n",
              lx + 20,
              ly + 12,
              s.outages().size()));
    }
    b.append("</svg>\n");
    return b.toString();
  }

  /** "AS20485 TRANSTELECOM ...", shortened to fit the legend column (it was clipped in the PNG). */
  static String legend(long up, LongFunction<String> names) {
    String n = names.apply(up);
    return ChartGeometry.fit("AS" + up + (n.isEmpty() ? "" : " " + n), ChartGeometry.LEGEND_ROOM);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
