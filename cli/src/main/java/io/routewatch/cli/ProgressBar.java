package io.routewatch.cli;

import io.routewatch.proto.v1.ImportJob;
import java.io.PrintStream;

/** One-line progress bar with rate and ETA, redrawn in place on a terminal. */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final String label;
  private final boolean enabled;

  ProgressBar(PrintStream out, String label, boolean enabled) {
    this.out = out;
    this.label = label;
    this.enabled = enabled;
  }

  void update(ImportJob j) {
    if (!enabled) {
      return;
    }
    double frac =
        j.getBytesTotal() > 0 ? Math.min(1.0, (double) j.getBytesRead() / j.getBytesTotal()) : 0;
    out.print("\r" + line(j, frac));
    out.flush();
  }

  void finish(ImportJob j) {
    if (enabled) {
      out.print("\r" + line(j, 1.0) + "\n");
      out.flush();
    }
  }

  static String line(ImportJob j, double frac) {
    int filled = (int) Math.round(frac * WIDTH);
    StringBuilder sb = new StringBuilder();
    sb.append('[');
    for (int i = 0; i < WIDTH; i++) {
      sb.append(i < filled ? '#' : '.');
    }
    sb.append(']');
    return String.format(
        "%s %3.0f%% %,12d events %,10.0f ev/s ETA %5.0fs",
        sb, frac * 100, j.getEvents(), j.getEventsPerSecond(), j.getEtaSeconds());
  }

  String label() {
    return label;
  }
}
