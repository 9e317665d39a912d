package io.routewatch.cli;

import io.grpc.ManagedChannel;
import io.routewatch.cli.plot.PngChart;
import io.routewatch.cli.plot.ShareSeries;
import io.routewatch.cli.plot.SvgChart;
import io.routewatch.cli.time.Times;
import io.routewatch.proto.v1.GetHistoryRequest;
import io.routewatch.proto.v1.GetHistoryResponse;
import io.routewatch.proto.v1.GetUpstreamsRequest;
import io.routewatch.proto.v1.GetUpstreamsResponse;
import io.routewatch.proto.v1.Outage;
import io.routewatch.proto.v1.ShareSample;
import io.routewatch.proto.v1.StateQueryGrpc;
import io.routewatch.proto.v1.Upstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code routewatch plot upstreams AS --from T1 --to T2 -o share.svg|png}: Dyn-style share chart.
 */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    description = "Charts from state's history (see: routewatch plot upstreams --help).")
final class PlotCommand {

  @Command(
      name = "upstreams",
      mixinStandardHelpOptions = true,
      description = {
        "Stacked area chart of an origin's upstream share over time (VP-weighted, as Dyn showed it),",
        "outages shaded. SVG is plain XML whose bands carry their values (data-series); PNG via Java2D.",
        "",
        "Example:",
        "  routewatch plot upstreams AS131279 --from 2017-10-01T08:00Z --to 2017-10-02T12:00Z -o share.png",
        "  # a scenario run that started at wall time W, played at 720x, on the scenario's own clock:",
        "  routewatch plot upstreams AS131279 --from W --to W2 --replay-of 2017-10-01T08:30Z --replay-speed 720 -o share.png",
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:chart written",
        "1:no history for that origin in the range (chart still written)",
        "2:bad usage",
        "3:state unreachable",
        "4:state refused the request"
      })
  int upstreams(
      @Mixin Endpoints endpoints,
      @Parameters(paramLabel = "AS", description = "origin AS, e.g. AS131279") String asText,
      @Option(
              names = "--from",
              required = true,
              paramLabel = "TIME",
              converter = Times.Converter.class,
              description = "start (ISO-8601 or epoch seconds)")
          long from,
      @Option(
              names = "--to",
              paramLabel = "TIME",
              converter = Times.Converter.class,
              description = "end (default: now)")
          Long to,
      @Option(
              names = {"-o", "--output"},
              required = true,
              paramLabel = "FILE",
              description = "output file; .svg or .png")
          Path out,
      @Option(
              names = "--weight",
              defaultValue = "vp",
              description =
                  "vp (each VP/prefix path counts 1, default) or address (weighted by prefix size)")
          String weight,
      @Option(
              names = "--replay-of",
              paramLabel = "TIME",
              converter = Times.Converter.class,
              description =
                  "draw a compressed replay on the clock it replays: --from is shown as TIME and spans stretched by --replay-speed (e.g. a scenario run)")
          Long replayOf,
      @Option(
              names = "--replay-speed",
              paramLabel = "N",
              defaultValue = "1",
              description =
                  "replay compression (scenario seconds per wall-clock second; default ${DEFAULT-VALUE})")
          double replaySpeed)
      throws Exception {
    long asn = Targets.asn(asText);
    long end = to == null ? Times.parseMicros("now") : to;
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".svg") && !name.endsWith(".png")) {
      throw new IllegalArgumentException("output must end in .svg or .png: " + out);
    }
    boolean byAddress =
        switch (weight) {
          case "vp" -> false;
          case "address" -> true;
          default -> throw new IllegalArgumentException("--weight is vp or address, not " + weight);
        };
    ManagedChannel ch = Endpoints.channel(endpoints.state);
    ShareSeries series;
    try {
      StateQueryGrpc.StateQueryBlockingStub stub = StateQueryGrpc.newBlockingStub(ch);
      GetUpstreamsResponse start =
          stub.withDeadlineAfter(10, TimeUnit.SECONDS)
              .getUpstreams(
                  GetUpstreamsRequest.newBuilder()
                      .setAsn((int) asn)
                      .setAtMicros(Math.max(1, from))
                      .build());
      GetHistoryResponse h =
          stub.withDeadlineAfter(30, TimeUnit.SECONDS)
              .getHistory(
                  GetHistoryRequest.newBuilder()
                      .setAsn((int) asn)
                      .setFromMicros(from)
                      .setToMicros(end)
                      .build());
      series = series(asn, from, end, start, h, byAddress);
    } finally {
      Endpoints.close(ch);
    }
    if (replayOf != null) {
      series = series.rebase(replayOf, replaySpeed);
    }
    if (name.endsWith(".svg")) {
      Files.writeString(out, SvgChart.render(series, AsNames::of), StandardCharsets.UTF_8);
    } else {
      PngChart.write(series, AsNames::of, out);
    }
    System.out.printf(
        "%s: %d upstream%s, %d steps, %d outage%s%n",
        out,
        series.upstreams().length,
        series.upstreams().length == 1 ? "" : "s",
        series.times().length,
        series.outages().size(),
        series.outages().size() == 1 ? "" : "s");
    return series.times().length > 1 || series.upstreams().length > 0 ? 0 : Main.EXIT_FINDINGS;
  }

  static ShareSeries series(
      long asn,
      long from,
      long to,
      GetUpstreamsResponse start,
      GetHistoryResponse h,
      boolean byAddress) {
    Map<Long, Double> initial = new LinkedHashMap<>();
    for (Upstream u : start.getUpstreamsList()) {
      initial.put(
          Integer.toUnsignedLong(u.getAsn()), byAddress ? u.getAddressShare() : u.getVpShare());
    }
    List<ShareSeries.Sample> samples = new ArrayList<>();
    for (ShareSample s : h.getSamplesList()) {
      samples.add(
          new ShareSeries.Sample(
              s.getTimeMicros(),
              Integer.toUnsignedLong(s.getUpstream()),
              byAddress ? s.getAddressShare() : s.getVpShare()));
    }
    List<long[]> outages = new ArrayList<>();
    for (Outage o : h.getOutagesList()) {
      outages.add(new long[] {o.getStartMicros(), o.getEndMicros()});
    }
    return ShareSeries.build(asn, from, to, initial, samples, outages);
  }
}
