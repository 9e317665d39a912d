package io.routewatch.bgp.pcap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The shared routing corpus ({@code routewatch.data}, default {@code ../../../shared/data} from the
 * module directory) and its tshark reference decodes.
 */
public final class Corpus {
  private Corpus() {}

  /** The corpus root. */
  public static Path dir() {
    String p = System.getProperty("routewatch.data");
    // An unresolved "${...}" means Maven did not set it (IDE runs): use the default.
    boolean set = p != null && !p.isBlank() && !p.contains("${");
    return Path.of(set ? p : "../../../shared/data").toAbsolutePath().normalize();
  }

  /** Every capture file (pcap, pcapng, cap) under {@code sub}, sorted. */
  public static List<Path> captures(String sub) throws IOException {
    Path root = dir().resolve(sub);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".pcap") || n.endsWith(".pcapng") || n.endsWith(".cap");
              })
          .sorted()
          .toList();
    }
  }

  /** The tshark reference next to a capture. */
  public static Path tsharkReference(Path capture) {
    return capture.resolveSibling(capture.getFileName() + ".tshark-fields.tsv.gz");
  }

  /**
   * Counts of each value of a tshark field across all rows: {@code -E occurrence=a -E aggregator=,}
   * puts every occurrence in the frame's row, comma-joined.
   */
  public static Map<Integer, Long> countField(Path tsv, String field) throws IOException {
    Map<Integer, Long> counts = new TreeMap<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(tsv)), StandardCharsets.UTF_8))) {
      String[] header = r.readLine().split("\t", -1);
      int col = List.of(header).indexOf(field);
      if (col < 0) {
        throw new IOException(tsv + " has no column " + field);
      }
      for (String line; (line = r.readLine()) != null; ) {
        String[] cells = line.split("\t", -1);
        if (col >= cells.length || cells[col].isEmpty()) {
          continue;
        }
        for (String v : cells[col].split(",")) {
          counts.merge(Integer.parseInt(v.trim()), 1L, Long::sum);
        }
      }
    }
    return counts;
  }

  /** All events of a capture, in order. */
  public static List<StreamEvent> events(Path capture) throws IOException {
    List<StreamEvent> out = new ArrayList<>();
    try (TcpStreamReader r = TcpStreamReader.open(capture)) {
      for (StreamEvent e; (e = r.next()) != null; ) {
        out.add(e);
      }
    }
    return out;
  }
}
