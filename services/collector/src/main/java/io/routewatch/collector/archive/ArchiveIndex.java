package io.routewatch.collector.archive;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lists what a public archive holds for some collectors and a time range, from the month
 * directories' HTML indexes (Apache and nginx autoindex: the {@code href}s are read, nothing else).
 * No cadence is assumed: a file covers [its stamp, the next file's stamp).
 */
public final class ArchiveIndex {
  /** Longest index page read (a month of RIS updates is ~8,900 files, well under 2 MiB). */
  static final int MAX_INDEX_BYTES = 16 << 20;

  /** Months a range may span (bounds the index requests one listing makes). */
  static final int MAX_MONTHS = 240;

  private static final Pattern HREF = Pattern.compile("href\\s*=\\s*\"([^\"]*)\"");

  private final HttpClient http;
  private final Function<ArchiveLayout.Family, String> bases;
  private final Duration timeout;

  /**
   * @param bases the base URL of each family (a mirror, or the public archive)
   * @param timeout longest an index request may take
   */
  public ArchiveIndex(
      HttpClient http, Function<ArchiveLayout.Family, String> bases, Duration timeout) {
    this.http = http;
    this.bases = bases;
    this.timeout = timeout;
  }

  /** A listing that could not be made: which collector, which URL, what went wrong. */
  public static final class ListingFailed extends IOException {
    ListingFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Every file of {@code collectors} of {@code kind} covering part of [from, until) (epoch
   * seconds), in time order across the collectors (ties: collector order as given, then name).
   */
  public List<ArchiveFile> list(
      List<String> collectors, ArchiveLayout.Kind kind, long from, long until)
      throws IOException, InterruptedException {
    if (collectors.isEmpty()) {
      throw new IllegalArgumentException("at least one collector is required");
    }
    if (until <= from) {
      throw new IllegalArgumentException(
          "until must be after from (from " + from + ", until " + until + ")");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String c : collectors) {
      ArchiveLayout.family(c); // refuses an unknown name before any request
      seen.add(c);
    }
    List<ArchiveFile> all = new ArrayList<>();
    List<String> order = new ArrayList<>(seen);
    for (String c : order) {
      all.addAll(listOne(c, kind, from, until));
    }
    all.sort(
        Comparator.comparingLong(ArchiveFile::epochSecond)
            .thenComparingInt(f -> order.indexOf(f.collector()))
            .thenComparing(ArchiveFile::name));
    return all;
  }

  private List<ArchiveFile> listOne(
      String collector, ArchiveLayout.Kind kind, long from, long until)
      throws IOException, InterruptedException {
    ArchiveLayout.Family family = ArchiveLayout.family(collector);
    String base = bases.apply(family);
    LocalDateTime first = month(from);
    LocalDateTime last = month(until - 1);
    // name -> (stamp, url); sorted by name = by time within one collector and kind
    TreeMap<Long, String[]> files = new TreeMap<>();
    int months = 0;
    for (LocalDateTime m = first; !m.isAfter(last); m = m.plusMonths(1)) {
      if (++months > MAX_MONTHS) {
        throw new IllegalArgumentException(
            "range spans more than " + MAX_MONTHS + " months: list it in parts");
      }
      files.putAll(month(collector, family, base, kind, m));
    }
    // The file covering `from` may have been published the month before.
    Map.Entry<Long, String[]> floor = files.floorEntry(from);
    if (floor == null) {
      TreeMap<Long, String[]> before = month(collector, family, base, kind, first.minusMonths(1));
      if (!before.isEmpty()) {
        files.put(before.lastKey(), before.lastEntry().getValue());
      }
    }
    List<ArchiveFile> out = new ArrayList<>();
    Long[] stamps = files.keySet().toArray(Long[]::new);
    for (int i = 0; i < stamps.length; i++) {
      long start = stamps[i];
      long end = i + 1 < stamps.length ? stamps[i + 1] : start + nominal(family, kind);
      String[] nameUrl = files.get(start);
      ArchiveFile f = new ArchiveFile(collector, kind, nameUrl[0], nameUrl[1], start, end);
      if (f.overlaps(from, until)) {
        out.add(f);
      }
    }
    return out;
  }

  /** The nominal interval of a family's files: only the newest file listed is given it. */
  static long nominal(ArchiveLayout.Family family, ArchiveLayout.Kind kind) {
    if (family == ArchiveLayout.Family.RIS) {
      return kind == ArchiveLayout.Kind.UPDATES ? 300 : 8 * 3600;
    }
    return kind == ArchiveLayout.Kind.UPDATES ? 900 : 2 * 3600;
  }

  private static LocalDateTime month(long epochSecond) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    return t.withDayOfMonth(1).toLocalDate().atStartOfDay();
  }

  /** One month directory's files of {@code kind}: stamp → {name, url}. A 404 is an empty month. */
  private TreeMap<Long, String[]> month(
      String collector,
      ArchiveLayout.Family family,
      String base,
      ArchiveLayout.Kind kind,
      LocalDateTime month)
      throws IOException, InterruptedException {
    String dir = ArchiveLayout.monthDir(base, collector, kind, month);
    TreeMap<Long, String[]> out = new TreeMap<>();
    String html = fetchIndex(collector, dir);
    if (html == null) {
      return out;
    }
    Matcher m = HREF.matcher(html);
    while (m.find()) {
      String href = m.group(1);
      int q = href.indexOf('?');
      if (q >= 0) {
        href = href.substring(0, q);
      }
      String name =
          URLDecoder.decode(href.substring(href.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
      ArchiveLayout.parse(family, name)
          .filter(n -> n.kind() == kind)
          .ifPresent(n -> out.putIfAbsent(n.epochSecond(), new String[] {name, dir + name}));
    }
    return out;
  }

  private String fetchIndex(String collector, String url) throws IOException, InterruptedException {
    HttpRequest req;
    try {
      req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
    } catch (IllegalArgumentException e) {
      throw new ListingFailed("bad archive URL for " + collector + ": " + url, e);
    }
    HttpResponse<InputStream> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new ListingFailed("cannot list " + collector + " at " + url + ": " + e, e);
    }
    try (InputStream in = resp.body()) {
      if (resp.statusCode() == 404) {
        return null;
      }
      if (resp.statusCode() != 200) {
        throw new ListingFailed(
            "cannot list " + collector + " at " + url + ": HTTP " + resp.statusCode(), null);
      }
      byte[] body = in.readNBytes(MAX_INDEX_BYTES + 1);
      if (body.length > MAX_INDEX_BYTES) {
        throw new ListingFailed(
            "index of " + url + " is longer than " + MAX_INDEX_BYTES + " bytes", null);
      }
      return new String(body, StandardCharsets.ISO_8859_1);
    } catch (ListingFailed e) {
      throw e;
    } catch (IOException e) {
      throw new ListingFailed("cannot read the index of " + collector + " at " + url + ": " + e, e);
    }
  }
}
