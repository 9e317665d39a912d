package io.routewatch.state.snapshot;

import static io.routewatch.state.snapshot.SnapshotFormat.*;

import io.routewatch.state.outage.Outage;
import io.routewatch.state.outage.OutageTracker;
import io.routewatch.state.rib.RibImage;
import io.routewatch.state.rib.RouteAttributes;
import io.routewatch.state.rib.VantagePointKey;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads a {@link SnapshotFormat} file from memory. The frame (magic, version, length, CRC-32C) is
 * checked before any field is decoded, so a truncated or bit-flipped file is refused as a whole;
 * every index read is then range-checked, so even a file with a valid checksum but inconsistent
 * content yields a {@link SnapshotException}, never a half-built state.
 */
public final class SnapshotDecoder {
  private static final Outage.Scope[] SCOPES = Outage.Scope.values();

  private SnapshotDecoder() {}

  public static Snapshot read(byte[] file, String name) throws SnapshotException {
    if (file.length < HEADER + TRAILER) {
      throw new SnapshotException(
          name + ": " + file.length + " bytes, shorter than header + trailer");
    }
    if (!Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new SnapshotException(name + ": not a routewatch RIB snapshot (bad magic)");
    }
    ByteBuffer all = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int version = all.getInt(8);
    if (version < OLDEST_READABLE || version > VERSION) {
      throw new SnapshotException(
          name
              + ": format version "
              + version
              + ", this build reads "
              + OLDEST_READABLE
              + " to "
              + VERSION);
    }
    int t = file.length - TRAILER;
    if (!Arrays.equals(file, t + 12, t + 16, END_MAGIC, 0, 4)) {
      throw new SnapshotException(name + ": no trailer (truncated or partial write)");
    }
    long body = all.getLong(t);
    if (body != t - HEADER) {
      throw new SnapshotException(
          name + ": body length " + body + " but file holds " + (t - HEADER));
    }
    CRC32C crc = new CRC32C();
    crc.update(file, 0, t + 8);
    int want = all.getInt(t + 8);
    if ((int) crc.getValue() != want) {
      throw new SnapshotException(
          name
              + ": CRC-32C "
              + Integer.toHexString((int) crc.getValue())
              + " != stored "
              + Integer.toHexString(want));
    }
    ByteCursor c =
        new ByteCursor(ByteBuffer.wrap(file, HEADER, t - HEADER).slice(), name + " body");
    try {
      return body(c, version);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw c.error("bad value: " + e.getMessage());
    }
  }

  private static void tag(ByteCursor c, int want) throws SnapshotException {
    int got = c.u8();
    if (got != want) {
      throw c.error("section " + got + " where " + want + " was expected");
    }
  }

  private static Snapshot body(ByteCursor c, int version) throws SnapshotException {
    tag(c, META);
    long created = c.u64();
    RibImage.Scalars scalars =
        new RibImage.Scalars(
            c.zigzag(), c.zigzag(), c.bool(), c.bool(), c.zigzag(), c.varlong(), c.varlong());
    String[] countries = new String[c.count(1)];
    for (int i = 0; i < countries.length; i++) {
      countries[i] = c.string();
    }
    IngestImage ingest = ingest(c, version);
    tag(c, PREFIXES);
    Prefix[] prefixes = new Prefix[c.count(2)];
    for (int i = 0; i < prefixes.length; i++) {
      int alen = c.u8();
      int len = c.u8();
      if ((alen != 4 && alen != 16) || len > alen * 8) {
        throw c.error("prefix " + i + ": address length " + alen + ", prefix length " + len);
      }
      byte[] a = new byte[alen];
      for (int k = 0; k < (len + 7) / 8; k++) {
        a[k] = (byte) c.u8();
      }
      prefixes[i] = Prefix.of(a, len);
    }
    tag(c, PATHS);
    AsPath[] paths = new AsPath[c.count(1)];
    for (int i = 0; i < paths.length; i++) {
      paths[i] = path(c, c.ints());
    }
    tag(c, ATTRS);
    int na = c.count(4);
    int[] attrPath = new int[na];
    RouteAttributes[] attrs = new RouteAttributes[na];
    for (int i = 0; i < na; i++) {
      attrPath[i] = c.index(paths.length, "path index");
      attrs[i] = attrs(c);
    }
    tag(c, VPS);
    int nv = c.count(12);
    List<RibImage.Vp> vps = new ArrayList<>(nv);
    for (int i = 0; i < nv; i++) {
      vps.add(vp(c, prefixes.length, na, countries.length));
    }
    List<RibImage.SharePair> originPairs = pairs(c, ORIGIN_SHARES, -1);
    List<RibImage.SharePair> countryPairs = pairs(c, COUNTRY_SHARES, countries.length);
    tag(c, DETECTOR);
    byte[] prefixState = c.bytes();
    if (prefixState.length != prefixes.length) {
      throw c.error("detector holds " + prefixState.length + " prefixes, image " + prefixes.length);
    }
    int[][] prefixOrigins = new int[prefixes.length][];
    for (int i = 0; i < prefixOrigins.length; i++) {
      int[] o = c.ints();
      prefixOrigins[i] = o.length == 0 ? null : o;
    }
    List<RibImage.Report> originReports = reports(c, -1, version);
    List<RibImage.Report> countryReports = reports(c, countries.length, version);
    int[] originEver = c.ints();
    int[] countryEver = c.ints();
    for (int cc : countryEver) {
      if (cc < 0 || cc >= countries.length) {
        throw c.error("country index " + cc);
      }
    }
    tag(c, OUTAGES);
    int ns = c.count(20);
    List<OutageTracker.Saved> outages = new ArrayList<>(ns);
    for (int i = 0; i < ns; i++) {
      outages.add(
          new OutageTracker.Saved(
              c.u64(), scope(c), c.string(), c.u8(), c.zigzag(), c.zigzag(), c.f64()));
    }
    int nh = c.count(12);
    List<Outage> history = new ArrayList<>(nh);
    for (int i = 0; i < nh; i++) {
      history.add(new Outage(scope(c), c.string(), c.zigzag(), c.zigzag(), c.f64()));
    }
    tag(c, END);
    RibImage rib =
        new RibImage(
            scalars,
            countries,
            prefixes,
            paths,
            attrPath,
            attrs,
            vps,
            originPairs,
            countryPairs,
            prefixState,
            prefixOrigins,
            originReports,
            countryReports,
            originEver,
            countryEver,
            outages,
            history);
    return new Snapshot(created, ingest, rib);
  }

  private static Outage.Scope scope(ByteCursor c) throws SnapshotException {
    int s = c.u8();
    if (s >= SCOPES.length) {
      throw c.error("outage scope " + s);
    }
    return SCOPES[s];
  }

  private static IngestImage ingest(ByteCursor c, int version) throws SnapshotException {
    tag(c, INGEST);
    int n = c.count(3);
    Map<String, Long> positions = new LinkedHashMap<>();
    Map<String, String> collectors = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String id = c.string();
      positions.put(id, c.varlong());
      String col = c.string();
      if (!col.isEmpty()) {
        collectors.put(id, col);
      }
    }
    int na = c.count(2);
    Map<String, int[]> archive = new HashMap<>();
    for (int i = 0; i < na; i++) {
      archive.put(c.string(), c.ints());
    }
    long events = c.varlong();
    long batches = c.varlong();
    int nk = c.count(2);
    Map<String, Long> kinds = new HashMap<>();
    for (int i = 0; i < nk; i++) {
      kinds.put(c.string(), c.varlong());
    }
    long journal = IngestImage.UNKNOWN_SEQUENCE;
    if (version >= 3) {
      journal = c.zigzag();
      if (journal < IngestImage.UNKNOWN_SEQUENCE) {
        throw c.error("journal sequence " + journal);
      }
    }
    return new IngestImage(positions, collectors, archive, events, batches, kinds, journal);
  }

  private static AsPath path(ByteCursor c, int[] enc) throws SnapshotException {
    if (enc.length == 0) {
      return AsPath.EMPTY;
    }
    List<int[]> segs = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    for (int o = 0; o < enc.length; ) {
      if (o + 1 >= enc.length || enc[o + 1] < 0 || o + 2 + enc[o + 1] > enc.length) {
        throw c.error("AS path encoding overruns at " + o);
      }
      types.add(enc[o]);
      segs.add(Arrays.copyOfRange(enc, o + 2, o + 2 + enc[o + 1]));
      o += enc[o + 1] + 2;
    }
    return AsPath.of(
        types.stream().mapToInt(Integer::intValue).toArray(), segs.toArray(int[][]::new));
  }

  private static RouteAttributes attrs(ByteCursor c) throws SnapshotException {
    int origin = c.u8();
    int flags = c.u8();
    if (origin > RouteAttributes.ORIGIN_INCOMPLETE || (flags & ~0xf) != 0) {
      throw c.error("attribute origin " + origin + " flags " + flags);
    }
    byte[] nh = (flags & F_NEXT_HOP) != 0 ? c.bytes() : null;
    long med = (flags & F_MED) != 0 ? c.varlong() : RouteAttributes.ABSENT;
    long lp = (flags & F_LOCAL_PREF) != 0 ? c.varlong() : RouteAttributes.ABSENT;
    int[] comms = c.ints();
    return new RouteAttributes(origin, nh, med, lp, (flags & F_ATOMIC) != 0, comms);
  }

  private static RibImage.Vp vp(ByteCursor c, int prefixes, int attrs, int countries)
      throws SnapshotException {
    VantagePointKey key = new VantagePointKey(c.string(), c.bytes(), c.varlong(), c.u32());
    int phase = c.u8();
    if (phase > 3) {
      throw c.error("VP phase " + phase);
    }
    boolean full = c.bool();
    long deadline = c.zigzag();
    int loaded = c.u8();
    int ended = c.u8();
    boolean addPath = c.bool();
    int n = c.count(2);
    long[] keys = new long[n];
    int[] values = new int[n];
    int pid = 0;
    for (int i = 0; i < n; i++) {
      if (!addPath) {
        pid += c.varint();
        if (pid < 0 || pid >= prefixes) {
          throw c.error("route to prefix id " + pid + " of " + prefixes);
        }
        keys[i] = pid & 0xffffffffL;
      } else {
        keys[i] = c.varlong();
        if ((int) keys[i] < 0 || (int) keys[i] >= prefixes) {
          throw c.error("route to prefix id " + (int) keys[i] + " of " + prefixes);
        }
      }
      values[i] = c.index(attrs, "attribute-set index");
    }
    long[] stale = null;
    if (c.bool()) {
      stale = new long[c.count(1)];
      for (int i = 0; i < stale.length; i++) {
        stale[i] = c.varlong();
      }
    }
    int[] dOrigins = null;
    int[] dPrefixes = null;
    int[] dCountries = null;
    if (c.bool()) {
      dOrigins = c.ints();
      dPrefixes = c.ints();
      dCountries = c.ints();
      for (int p : dPrefixes) {
        if (p < 0 || p >= prefixes) {
          throw c.error("deferred prefix id " + p);
        }
      }
      for (int cc : dCountries) {
        if (cc < 0 || cc >= countries) {
          throw c.error("deferred country index " + cc);
        }
      }
    }
    return new RibImage.Vp(
        key,
        phase,
        full,
        deadline == -1 ? Long.MAX_VALUE : deadline,
        loaded,
        ended,
        addPath,
        keys,
        values,
        stale,
        dOrigins,
        dPrefixes,
        dCountries);
  }

  /** {@code subjects} bounds country indexes (-1: origin ASNs, any value). */
  private static List<RibImage.SharePair> pairs(ByteCursor c, int tag, int subjects)
      throws SnapshotException {
    tag(c, tag);
    int n = c.count(5);
    List<RibImage.SharePair> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int s = subjects < 0 ? c.varint() : c.index(subjects, "country index");
      out.add(new RibImage.SharePair(s, c.varint(), c.zigzag(), c.zigzag(), c.zigzag()));
    }
    return out;
  }

  private static List<RibImage.Report> reports(ByteCursor c, int subjects, int version)
      throws SnapshotException {
    int n = c.count(2);
    List<RibImage.Report> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int s = subjects < 0 ? c.varint() : c.index(subjects, "country index");
      int[] ups = c.ints();
      double[] shares = new double[ups.length];
      for (int k = 0; k < shares.length; k++) {
        shares[k] = c.f64();
      }
      long drift = c.zigzag();
      byte[] evidence = null;
      if (version >= 4) {
        evidence = c.bytes();
        if (evidence.length != ups.length) {
          throw c.error(
              "report of "
                  + s
                  + ": "
                  + ups.length
                  + " upstreams, "
                  + evidence.length
                  + " evidence counts");
        }
      }
      out.add(new RibImage.Report(s, ups, shares, drift, evidence));
    }
    return out;
  }
}
