package io.routewatch.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: columns sized to content, numbers right-aligned. */
final class Table {
  private final String[] headers;
  private final boolean[] right;
  private final List<String[]> rows = new ArrayList<>();

  /** Headers; a header starting with '>' is right-aligned (the '>' is not printed). */
  Table(String... headers) {
    this.headers = new String[headers.length];
    this.right = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      right[i] = headers[i].startsWith(">");
      this.headers[i] = right[i] ? headers[i].substring(1) : headers[i];
    }
  }

  Table row(Object... cells) {
    String[] r = new String[headers.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
    }
    rows.add(r);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintStream out) {
    int[] w = new int[headers.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = headers[i].length();
      for (String[] r : rows) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    line(out, headers, w);
    for (String[] r : rows) {
      line(out, r, w);
    }
  }

  private void line(PrintStream out, String[] cells, int[] w) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append("  ");
      }
      String c = cells[i];
      String pad = " ".repeat(w[i] - c.length());
      if (right[i]) {
        sb.append(pad).append(c);
      } else if (i == cells.length - 1) {
        sb.append(c);
      } else {
        sb.append(c).append(pad);
      }
    }
    out.println(sb.toString().stripTrailing());
  }

  static String percent(double fraction) {
    return String.format("%.1f %%", fraction * 100);
  }
}
