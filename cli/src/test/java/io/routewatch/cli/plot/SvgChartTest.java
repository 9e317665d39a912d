package io.routewatch.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The chart of the North Korea day from hand-made samples: SVG parsed back as XML, PNG decoded. */
class SvgChartTest {
  static final long H = 3_600_000_000L;
  static final long T0 = 1506846600L * 1_000_000L; // 2017-10-01T08:30Z

  static ShareSeries northKorea() {
    List<ShareSeries.Sample> s =
        List.of(
            new ShareSeries.Sample(T0 + 2271_000_000L, 20485, 0.6),
            new ShareSeries.Sample(T0 + 2271_000_000L, 4837, 0.4), // 09:07:51
            new ShareSeries.Sample(T0 + 6285_000_000L, 4837, 1.0), // 10:14:45
            new ShareSeries.Sample(T0 + 8220_000_000L, 0, 0), // 10:47 outage
            new ShareSeries.Sample(T0 + 8910_000_000L, 4837, 1.0), // 10:58:30
            new ShareSeries.Sample(T0 + 13915_000_000L, 20485, 0.6),
            new ShareSeries.Sample(T0 + 13915_000_000L, 4837, 0.4)); // 12:21:55
    return ShareSeries.build(
        131279,
        T0,
        T0 + 6 * H,
        Map.of(4837L, 1.0),
        s,
        List.of(new long[] {T0 + 8220_000_000L, T0 + 8910_000_000L}));
  }

  @Test
  void svgCarriesTheSeriesValues() throws Exception {
    String svg = SvgChart.render(northKorea(), a -> a == 20485 ? "TRANSTELECOM" : "");
    var doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    NodeList bands = doc.getElementsByTagName("path");
    Map<String, String> series = new LinkedHashMap<>();
    for (int i = 0; i < bands.getLength(); i++) {
      Element e = (Element) bands.item(i);
      if ("band".equals(e.getAttribute("class"))) {
        series.put(e.getAttribute("data-upstream"), e.getAttribute("data-series"));
      }
    }
    assertEquals(
        List.of("4837", "20485"),
        List.copyOf(series.keySet()),
        "the long-standing upstream is stacked at the bottom");
    // AS20485: absent, appears at 60 %, vanishes, gone through the outage, back at 60 %
    assertEquals(
        T0
            + ":0.0000 "
            + (T0 + 2271_000_000L)
            + ":0.6000 "
            + (T0 + 6285_000_000L)
            + ":0.0000 "
            + (T0 + 8220_000_000L)
            + ":0.0000 "
            + (T0 + 8910_000_000L)
            + ":0.0000 "
            + (T0 + 13915_000_000L)
            + ":0.6000",
        series.get("20485"));
    assertTrue(
        series.get("4837").contains((T0 + 8220_000_000L) + ":0.0000"),
        "no upstream during the outage");
    NodeList rects = doc.getElementsByTagName("rect");
    int outages = 0;
    for (int i = 0; i < rects.getLength(); i++) {
      if ("outage".equals(((Element) rects.item(i)).getAttribute("class"))) {
        outages++;
      }
    }
    assertEquals(1, outages);
  }

  @Test
  void pngIsAnImageOfTheSameChart() throws Exception {
    Path f = Files.createTempFile("share", ".png");
    PngChart.write(northKorea(), a -> "", f);
    var img = ImageIO.read(f.toFile());
    assertEquals(2000, img.getWidth());
    assertEquals(880, img.getHeight());
    Files.delete(f);
  }

  /** A long AS name is shortened to the legend column; the PNG's right edge stays background. */
  @Test
  void longNamesFitTheLegend() throws Exception {
    java.util.function.LongFunction<String> names =
        a ->
            a == 20485
                ? "TRANSTELECOM-AS Closed Joint Stock Company TransTeleCom, RU"
                : "CHINA169-BACKBONE CHINA UNICOM China169 Backbone, CN";
    String label = SvgChart.legend(20485, names);
    assertTrue(label.startsWith("AS20485 TRANSTELECOM") && label.endsWith("…"), label);
    assertTrue(ChartGeometry.width(label) <= ChartGeometry.LEGEND_ROOM, label);
    assertEquals("AS4837", SvgChart.legend(4837, a -> ""), "a short label is kept whole");
    String title = ChartGeometry.title(northKorea(), names.apply(131279));
    assertTrue(
        title.startsWith("Upstreams of AS131279 CHINA169")
            && title.endsWith("… — share of VP paths"),
        title);
    assertTrue(ChartGeometry.titleWidth(title) <= ChartGeometry.TITLE_ROOM, title);
    var img = PngChart.render(northKorea(), names);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = img.getWidth() - 4; x < img.getWidth(); x++) {
        assertEquals(
            0xffffff,
            img.getRGB(x, y) & 0xffffff,
            "ink at the right edge (" + x + "," + y + "): a label runs off the image");
      }
    }
  }
}
