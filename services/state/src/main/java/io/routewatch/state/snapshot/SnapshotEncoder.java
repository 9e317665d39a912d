package io.routewatch.state.snapshot;

import static io.routewatch.state.snapshot.SnapshotFormat.*;

import io.routewatch.state.outage.Outage;
import io.routewatch.state.outage.OutageTracker;
import io.routewatch.state.rib.RibImage;
import io.routewatch.state.rib.RouteAttributes;
import io.routewatch.state.rib.VantagePointKey;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Writes a {@link Snapshot} in the {@link SnapshotFormat} layout. Pure: no files, no clock. */
public final class SnapshotEncoder {
  private SnapshotEncoder() {}

  /** Encodes the whole file (header, body, trailer) to {@code out}; returns the bytes written. */
  public static long write(Snapshot s, WritableByteChannel out) throws IOException {
    return write(s, out, VERSION);
  }

  /** In an older layout ({@link SnapshotFormat#OLDEST_READABLE} or later): tests of the reader. */
  static long write(Snapshot s, WritableByteChannel out, int version) throws IOException {
    if (version < OLDEST_READABLE || version > VERSION) {
      throw new IllegalArgumentException("cannot write snapshot format " + version);
    }
    ByteSink w = new ByteSink(out);
    w.raw(MAGIC, 0, MAGIC.length);
    w.u32(version);
    w.u32(0);
    RibImage r = s.rib();
    w.u8(META);
    w.u64(s.createdMillis());
    RibImage.Scalars k = r.scalars();
    w.zigzag(k.clock());
    w.zigzag(k.firstTs());
    w.bool(k.warm());
    w.bool(k.denominatorDirty());
    w.zigzag(k.lastReevaluation());
    w.varlong(k.updates());
    w.varlong(k.eventsEmitted());
    w.varint(r.countries().length);
    for (String c : r.countries()) {
      w.string(c);
    }
    ingest(w, s.ingest(), version);
    w.u8(PREFIXES);
    w.varint(r.prefixes().length);
    for (Prefix p : r.prefixes()) {
      byte[] a = p.address();
      w.u8(a.length);
      w.u8(p.length());
      w.raw(a, 0, (p.length() + 7) / 8); // host bits are zero: only the significant bytes
    }
    w.u8(PATHS);
    w.varint(r.paths().length);
    for (AsPath p : r.paths()) {
      w.ints(p.encoding());
    }
    w.u8(ATTRS);
    w.varint(r.attrs().length);
    for (int i = 0; i < r.attrs().length; i++) {
      w.varint(r.attrPath()[i]);
      attrs(w, r.attrs()[i]);
    }
    w.u8(VPS);
    w.varint(r.vps().size());
    for (RibImage.Vp v : r.vps()) {
      vp(w, v);
    }
    pairs(w, ORIGIN_SHARES, r.originPairs());
    pairs(w, COUNTRY_SHARES, r.countryPairs());
    detector(w, r, version);
    outages(w, r);
    w.u8(END);
    w.flush();
    long body = w.position() - HEADER;
    w.u64(body);
    w.flush();
    int crc = w.crc(); // covers header + body (+ the length field: also checked on read)
    w.u32(crc);
    w.raw(END_MAGIC, 0, END_MAGIC.length);
    w.flush();
    return w.position();
  }

  private static void ingest(ByteSink w, IngestImage g, int version) throws IOException {
    w.u8(INGEST);
    w.varint(g.positions().size());
    for (Map.Entry<String, Long> e : g.positions().entrySet()) {
      w.string(e.getKey());
      w.varlong(e.getValue());
      w.string(g.collectors().getOrDefault(e.getKey(), ""));
    }
    w.varint(g.archiveVps().size());
    for (Map.Entry<String, int[]> e : g.archiveVps().entrySet()) {
      w.string(e.getKey());
      w.ints(e.getValue());
    }
    w.varlong(g.events());
    w.varlong(g.batches());
    w.varint(g.eventsByKind().size());
    for (Map.Entry<String, Long> e : g.eventsByKind().entrySet()) {
      w.string(e.getKey());
      w.varlong(e.getValue());
    }
    if (version >= 3) {
      w.zigzag(g.journalSequence());
    }
  }

  private static void attrs(ByteSink w, RouteAttributes a) throws IOException {
    int flags =
        (a.atomicAggregate() ? F_ATOMIC : 0)
            | (a.nextHop() != null ? F_NEXT_HOP : 0)
            | (a.med() != RouteAttributes.ABSENT ? F_MED : 0)
            | (a.localPref() != RouteAttributes.ABSENT ? F_LOCAL_PREF : 0);
    w.u8(a.origin());
    w.u8(flags);
    if (a.nextHop() != null) {
      w.bytes(a.nextHop());
    }
    if (a.med() != RouteAttributes.ABSENT) {
      w.varlong(a.med());
    }
    if (a.localPref() != RouteAttributes.ABSENT) {
      w.varlong(a.localPref());
    }
    int[] c = a.communities();
    w.ints(c == null ? new int[0] : c);
  }

  private static void vp(ByteSink w, RibImage.Vp v) throws IOException {
    VantagePointKey key = v.key();
    w.string(key.collector());
    w.bytes(key.peerAddress());
    w.varlong(key.peerAsn());
    w.u32(key.peerBgpId());
    w.u8(v.phase());
    w.bool(v.fullFeed());
    w.zigzag(v.deadline() == Long.MAX_VALUE ? -1 : v.deadline());
    w.u8(v.afisLoaded());
    w.u8(v.afisEnded());
    w.bool(v.addPath());
    long[] keys = v.keys();
    int[] values = v.values();
    w.varint(keys.length);
    if (!v.addPath()) {
      // Path id is 0: pack (prefix id, attr index) in one long, sort, write prefix-id deltas.
      long[] packed = new long[keys.length];
      for (int i = 0; i < keys.length; i++) {
        packed[i] = (keys[i] << 32) | values[i];
      }
      Arrays.sort(packed);
      int prev = 0;
      for (long p : packed) {
        int pid = (int) (p >>> 32);
        w.varint(pid - prev);
        w.varint((int) p);
        prev = pid;
      }
    } else {
      for (int i = 0; i < keys.length; i++) {
        w.varlong(keys[i]);
        w.varint(values[i]);
      }
    }
    w.bool(v.stale() != null);
    if (v.stale() != null) {
      w.varint(v.stale().length);
      for (long s : v.stale()) {
        w.varlong(s);
      }
    }
    w.bool(v.deferring());
    if (v.deferring()) {
      w.ints(v.deferredOrigins());
      w.ints(v.deferredPrefixes());
      w.ints(v.deferredCountries());
    }
  }

  private static void pairs(ByteSink w, int tag, List<RibImage.SharePair> pairs)
      throws IOException {
    w.u8(tag);
    w.varint(pairs.size());
    for (RibImage.SharePair p : pairs) {
      w.varint(p.subject());
      w.varint(p.upstream());
      w.zigzag(p.first());
      w.zigzag(p.since());
      w.zigzag(p.last());
    }
  }

  private static void detector(ByteSink w, RibImage r, int version) throws IOException {
    w.u8(DETECTOR);
    w.bytes(r.prefixState());
    for (int[] o : r.prefixOrigins()) {
      w.ints(o == null ? new int[0] : o);
    }
    reports(w, r.originReports(), version);
    reports(w, r.countryReports(), version);
    w.ints(r.originEverVisible());
    w.ints(r.countryEverVisible());
  }

  private static void reports(ByteSink w, List<RibImage.Report> reports, int version)
      throws IOException {
    w.varint(reports.size());
    for (RibImage.Report r : reports) {
      w.varint(r.subject());
      w.ints(r.upstreams());
      for (double d : r.shares()) {
        w.f64(d);
      }
      w.zigzag(r.driftSince());
      if (version >= 4) {
        byte[] ev = r.evidence();
        w.bytes(
            ev != null && ev.length == r.upstreams().length ? ev : new byte[r.upstreams().length]);
      }
    }
  }

  private static void outages(ByteSink w, RibImage r) throws IOException {
    w.u8(OUTAGES);
    w.varint(r.outages().size());
    for (OutageTracker.Saved o : r.outages()) {
      w.u64(o.key());
      w.u8(o.scope().ordinal());
      w.string(o.subject());
      w.u8(o.phase());
      w.zigzag(o.belowSince());
      w.zigzag(o.recoverSince());
      w.f64(o.depth());
    }
    w.varint(r.outageHistory().size());
    for (Outage o : r.outageHistory()) {
      w.u8(o.scope().ordinal());
      w.string(o.subject());
      w.zigzag(o.startMicros());
      w.zigzag(o.endMicros());
      w.f64(o.depth());
    }
  }
}
