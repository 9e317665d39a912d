package io.routewatch.state.leak;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.itadaki.bzip2.BZip2InputStream;

/**
 * Reads AS relationship files in CAIDA's as-rel formats: serial-1 {@code a|b|rel} and serial-2
 * {@code a|b|rel|source}, where {@code rel} is {@code -1} (a is a provider of b) or {@code 0}
 * (peers); {@code 1} (siblings, as ProbLink writes them) is accepted too. {@code #} lines and blank
 * lines are skipped. bzip2 and gzip files are recognised by their magic bytes. Lenient: a bad line
 * is skipped and counted, the first {@link #MAX_PROBLEMS} are kept with {@code file:line}.
 */
public final class AsRelationshipsReader {
  /** Problems kept word for word (the rest are only counted). */
  public static final int MAX_PROBLEMS = 20;

  /** Longest line read whole; a longer one is a bad line. */
  static final int MAX_LINE = 256;

  private AsRelationshipsReader() {}

  /**
   * What a read gave: the relationships, the lines skipped as bad and the first of them as {@code
   * source:line: reason}.
   */
  public record Result(
      AsRelationships relationships, String source, long rejected, List<String> problems) {}

  /** The file has more links than allowed: nothing is loaded (a truncated graph misleads). */
  public static final class TooManyLinks extends IOException {
    public TooManyLinks(String message) {
      super(message);
    }
  }

  /** Reads a plain, bzip2 or gzip file of at most {@code maxLinks} links. */
  public static Result read(Path file, int maxLinks) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return read(decompressed(raw), file.toString(), maxLinks);
    }
  }

  /** The stream, decompressed when it starts with the bzip2 ("BZh") or gzip magic. */
  static InputStream decompressed(InputStream in) throws IOException {
    InputStream b = in.markSupported() ? in : new BufferedInputStream(in);
    b.mark(3);
    int m0 = b.read();
    int m1 = b.read();
    int m2 = b.read();
    b.reset();
    if (m0 == 'B' && m1 == 'Z' && m2 == 'h') {
      return new BZip2InputStream(b, false);
    }
    if (m0 == 0x1f && m1 == 0x8b) {
      return new GZIPInputStream(b, 1 << 16);
    }
    return b;
  }

  /** Reads relationship lines from a stream (not closed); {@code source} names it in problems. */
  public static Result read(InputStream in, String source, int maxLinks) throws IOException {
    AsRelationships.Builder b = new AsRelationships.Builder();
    List<String> problems = new ArrayList<>();
    long rejected = 0;
    long lineNo = 0;
    BufferedReader r =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16);
    String line;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (line.isBlank() || line.charAt(0) == '#') {
        continue;
      }
      String why = parse(line, b);
      if (why != null) {
        rejected++;
        if (problems.size() < MAX_PROBLEMS) {
          problems.add(source + ":" + lineNo + ": " + why);
        }
      } else if (b.size() > maxLinks) {
        throw new TooManyLinks(
            source + ":" + lineNo + ": more than " + maxLinks + " AS relationship links");
      }
    }
    return new Result(b.build(), source, rejected, List.copyOf(problems));
  }

  /**
   * Parses one line into the builder; returns why it is bad, or null. Public for overrides given in
   * configuration, which use the same {@code a|b|rel} form.
   */
  public static String parse(String line, AsRelationships.Builder b) {
    if (line.length() > MAX_LINE) {
      return "line longer than " + MAX_LINE + " characters";
    }
    int p1 = line.indexOf('|');
    int p2 = p1 < 0 ? -1 : line.indexOf('|', p1 + 1);
    if (p2 < 0) {
      return "expected a|b|rel, got \"" + line + "\"";
    }
    int p3 = line.indexOf('|', p2 + 1);
    long a = asn(line, 0, p1);
    long c = asn(line, p1 + 1, p2);
    if (a < 0 || c < 0) {
      return "bad ASN in \"" + line + "\"";
    }
    if (a == c) {
      return "AS" + a + " related to itself";
    }
    String rel = line.substring(p2 + 1, p3 < 0 ? line.length() : p3).trim();
    byte r =
        switch (rel) {
          case "-1" -> AsRelationships.PROVIDER;
          case "0" -> AsRelationships.PEER;
          case "1" -> AsRelationships.SIBLING;
          default -> AsRelationships.UNKNOWN;
        };
    if (r == AsRelationships.UNKNOWN) {
      return "relationship must be -1, 0 or 1, got \"" + rel + "\"";
    }
    b.put((int) a, (int) c, r);
    return null;
  }

  /** An ASN 0..2^32-1 (AS0 is not a network: rejected), or -1. */
  private static long asn(String s, int from, int to) {
    int i = from;
    while (i < to && s.charAt(i) == ' ') {
      i++;
    }
    int j = to;
    while (j > i && s.charAt(j - 1) == ' ') {
      j--;
    }
    if (i == j || j - i > 10) {
      return -1;
    }
    long v = 0;
    for (int k = i; k < j; k++) {
      char ch = s.charAt(k);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      v = v * 10 + (ch - '0');
    }
    return v == 0 || v > 0xffffffffL ? -1 : v;
  }
}
