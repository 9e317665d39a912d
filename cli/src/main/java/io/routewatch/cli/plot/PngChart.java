package io.routewatch.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongFunction;
import javax.imageio.ImageIO;

/** The share chart as PNG through Java2D (headless), drawn from the same geometry as the SVG. */
public final class PngChart {
  private PngChart() {}

  public static BufferedImage render(ShareSeries s, LongFunction<String> names) {
    System.setProperty("java.awt.headless", "true");
    ChartGeometry g = new ChartGeometry(s);
    int scale = 2; // crisp on high-density screens and in the README
    BufferedImage img =
        new BufferedImage(
            ChartGeometry.WIDTH * scale, ChartGeometry.HEIGHT * scale, BufferedImage.TYPE_INT_RGB);
    Graphics2D g2 = img.createGraphics();
    try {
      g2.scale(scale, scale);
      g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g2.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g2.setColor(Color.WHITE);
      g2.fillRect(0, 0, ChartGeometry.WIDTH, ChartGeometry.HEIGHT);
      Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
      g2.setFont(base.deriveFont(Font.BOLD, 16f));
      g2.setColor(Color.BLACK);
      g2.drawString(ChartGeometry.title(s, names.apply(s.asn())), ChartGeometry.LEFT, 22);
      g2.setFont(base);
      g2.setColor(new Color(0x555555));
      g2.drawString(ChartGeometry.range(s), ChartGeometry.LEFT, 38);
      for (int p = 0; p <= 100; p += 20) {
        float y = (float) g.y(p / 100.0);
        g2.setColor(new Color(0xe0e0e0));
        g2.draw(
            new java.awt.geom.Line2D.Float(
                ChartGeometry.LEFT, y, ChartGeometry.LEFT + g.plotWidth(), y));
        g2.setColor(new Color(0x333333));
        String label = p + " %";
        g2.drawString(
            label, ChartGeometry.LEFT - 6 - g2.getFontMetrics().stringWidth(label), y + 4);
      }
      for (int u = 0; u < s.upstreams().length; u++) {
        Path2D.Double path = new Path2D.Double();
        double[][] poly = g.band(u);
        for (int i = 0; i < poly.length; i++) {
          if (i == 0) {
            path.moveTo(poly[i][0], poly[i][1]);
          } else {
            path.lineTo(poly[i][0], poly[i][1]);
          }
        }
        path.closePath();
        Color c = Color.decode(g.color(u));
        g2.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 217));
        g2.fill(path);
      }
      g2.setColor(new Color(0, 0, 0, 46));
      for (long[] o : s.outages()) {
        double x0 = g.x(o[0]);
        g2.fill(
            new Rectangle2D.Double(
                x0, ChartGeometry.TOP, Math.max(1.5, g.x(o[1]) - x0), g.plotHeight()));
      }
      int yAxis = ChartGeometry.TOP + g.plotHeight();
      g2.setColor(new Color(0x333333));
      g2.setStroke(new BasicStroke(1f));
      g2.drawLine(ChartGeometry.LEFT, yAxis, ChartGeometry.LEFT + g.plotWidth(), yAxis);
      long prev = -1;
      for (long t : g.ticks()) {
        int x = (int) Math.round(g.x(t));
        g2.drawLine(x, yAxis, x, yAxis + 5);
        String l = ChartGeometry.tickLabel(t, prev);
        g2.drawString(l, x - g2.getFontMetrics().stringWidth(l) / 2, yAxis + 19);
        prev = t;
      }
      g2.setColor(new Color(0x555555));
      String axis = "time (UTC)";
      g2.drawString(
          axis,
          ChartGeometry.LEFT + g.plotWidth() / 2 - g2.getFontMetrics().stringWidth(axis) / 2,
          ChartGeometry.HEIGHT - 10);
      int lx = ChartGeometry.WIDTH - ChartGeometry.RIGHT + 16;
      int ly = ChartGeometry.TOP + 6;
      for (int u = s.upstreams().length - 1; u >= 0; u--) {
        g2.setColor(Color.decode(g.color(u)));
        g2.fillRect(lx, ly, 14, 14);
        g2.setColor(Color.BLACK);
        g2.drawString(SvgChart.legend(s.upstreams()[u], names), lx + 20, ly + 12);
        ly += 22;
      }
      if (!s.outages().isEmpty()) {
        g2.setColor(new Color(0, 0, 0, 46));
        g2.fillRect(lx, ly, 14, 14);
        g2.setColor(Color.BLACK);
        g2.drawString("outage (" + s.outages().size() + ")", lx + 20, ly + 12);
      }
    } finally {
      g2.dispose();
    }
    return img;
  }

  public static void write(ShareSeries s, LongFunction<String> names, Path file)
      throws IOException {
    if (!ImageIO.write(render(s, names), "png", file.toFile())) {
      throw new IOException("no PNG writer available");
    }
  }
}
