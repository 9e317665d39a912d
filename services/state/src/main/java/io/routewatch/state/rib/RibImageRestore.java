package io.routewatch.state.rib;

import io.routewatch.state.outage.Outage;
import io.routewatch.state.outage.OutageTracker;
import io.routewatch.state.route.AsPath;
import io.routewatch.state.route.Prefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

/**
 * Loads a {@link RibImage} into an empty {@link Engine} without emitting a single change: routes go
 * straight into the VP maps and the counters they imply (visibility, origins, shares, AS graph) are
 * recounted silently; the detector gets back what it last reported, so the next real update is
 * compared with the same baseline as before the restart. Bad references in the image throw {@link
 * IllegalArgumentException} (the caller discards the engine).
 */
final class RibImageRestore {
  private final Engine e;
  private final RibImage img;
  private final int[] countryRemap;

  private RibImageRestore(Engine e, RibImage img) {
    this.e = e;
    this.img = img;
    this.countryRemap = new int[img.countries().length];
    for (int i = 0; i < countryRemap.length; i++) {
      countryRemap[i] = e.countries.index(img.countries()[i]); // -1: unknown to this registry
    }
  }

  static void restore(Engine e, RibImage img) {
    if (e.vpCount != 0 || e.prefixCount != 0 || e.firstTs >= 0) {
      throw new IllegalStateException("restore needs an empty engine");
    }
    new RibImageRestore(e, img).run();
  }

  private void run() {
    RibImage.Scalars s = img.scalars();
    Prefix[] prefixes = img.prefixes();
    for (int i = 0; i < prefixes.length; i++) {
      if (e.internPrefix(prefixes[i]) != i) {
        throw new IllegalArgumentException("duplicate prefix " + prefixes[i] + " at id " + i);
      }
    }
    int[] attrIds = internAttrs();
    for (RibImage.Vp v : img.vps()) {
      vp(v, attrIds);
    }
    for (int ai : attrIds) {
      e.releaseAttr(ai); // drop the reference taken when interning: routes hold theirs
    }
    for (RibImage.SharePair p : img.originPairs()) {
      e.originShares.restoreTimes(p.subject(), p.upstream(), p.first(), p.since(), p.last());
    }
    for (RibImage.SharePair p : img.countryPairs()) {
      int cc = country(p.subject());
      if (cc >= 0) {
        e.countryShares.restoreTimes(cc, p.upstream(), p.first(), p.since(), p.last());
      }
    }
    detector();
    outages();
    e.clock = s.clock();
    e.firstTs = s.firstTs();
    e.warm = s.warm();
    e.denominatorDirty = s.denominatorDirty();
    e.lastReevaluation = s.lastReevaluation();
    e.updates = s.updates();
    e.detector.eventsEmitted = s.eventsEmitted();
    long next = Long.MAX_VALUE;
    for (int i = 0; i < e.vpCount; i++) {
      next = Math.min(next, e.vps[i].deadline);
    }
    e.nextVpDeadline = next;
    e.detector.rebuildGone(); // after the VPs' deferred sets: pending prefixes are known
  }

  private int country(int imageIndex) {
    if (imageIndex < 0 || imageIndex >= countryRemap.length) {
      throw new IllegalArgumentException("country index " + imageIndex + " outside the image");
    }
    return countryRemap[imageIndex];
  }

  /** Interns every attribute set (and its path) once; returns image index → engine id. */
  private int[] internAttrs() {
    AsPath[] paths = img.paths();
    RouteAttributes[] attrs = img.attrs();
    int[] ids = new int[attrs.length];
    for (int i = 0; i < attrs.length; i++) {
      int pi = e.internPath(paths[img.attrPath()[i]]);
      int ai = e.attrs.intern(new Engine.AttrKey(pi, attrs[i]));
      if (!e.attrs.lastWasNew()) {
        throw new IllegalArgumentException("duplicate attribute set at " + i);
      }
      if (ai >= e.attrPath.length) {
        e.attrPath = Arrays.copyOf(e.attrPath, e.attrs.capacity());
      }
      e.attrPath[ai] = pi;
      ids[i] = ai;
    }
    return ids;
  }

  private void vp(RibImage.Vp img, int[] attrIds) {
    int id = e.vantagePoint(img.key());
    if (id != e.vpCount - 1) {
      throw new IllegalArgumentException("duplicate vantage point " + img.key());
    }
    VantagePoint v = e.vps[id];
    v.phase = img.phase();
    // not in the image: a VP that was up or down had settled; one loading is taken as reloading
    // (after a restart its table is known, so its upstreams are not a first load's baseline)
    v.everSettled = img.phase() != VantagePoint.NEW;
    v.firstSettledMicros = v.everSettled ? 0 : -1;
    v.fullFeed = img.fullFeed();
    v.deadline = img.deadline();
    v.afisLoaded = img.afisLoaded();
    v.afisEnded = img.afisEnded();
    if (v.fullFeed) {
      e.vis.addFullFeedVps(1);
    }
    long[] keys = img.keys();
    int[] values = img.values();
    LongIntHashMap routes = v.routes;
    if (img.addPath()) {
      v.addPath = new IntObjectHashMap<>();
    }
    for (int i = 0; i < keys.length; i++) {
      long k = keys[i];
      int pid = Engine.keyPrefix(k);
      if (pid < 0 || pid >= e.prefixCount) {
        throw new IllegalArgumentException("route to unknown prefix id " + pid);
      }
      if (v.addPath == null && Engine.keyPathId(k) != 0) {
        throw new IllegalArgumentException("path id without add-path at VP " + img.key());
      }
      int a = attrIds[values[i]];
      routes.put(k, a);
      e.attrs.retain(a);
      if (v.addPath != null) {
        Engine.insertSorted(v.addPath.getIfAbsentPut(pid, IntArrayList::new), Engine.keyPathId(k));
      } else {
        best(v, pid, a);
      }
    }
    if (routes.size() != keys.length) {
      throw new IllegalArgumentException("duplicate route keys at VP " + img.key());
    }
    e.routeCount += keys.length;
    if (v.addPath != null) {
      v.addPath.forEachKeyValue(
          (pid, ids) -> best(v, pid, routes.get(Engine.key(pid, ids.get(0)))));
    }
    if (img.stale() != null) {
      v.stale = LongHashSet.newSetWith(img.stale());
    }
    if (img.deferring()) {
      v.deferredOrigins = IntHashSet.newSetWith(img.deferredOrigins());
      v.deferredPrefixes = IntHashSet.newSetWith(img.deferredPrefixes());
      v.deferredCountries = new IntHashSet();
      for (int c : img.deferredCountries()) {
        int cc = country(c);
        if (cc >= 0) {
          v.deferredCountries.add(cc);
        }
      }
      ChangeDetector d = e.detector;
      v.deferredOrigins.forEach(o -> d.pendingOrigins.addToValue(o, 1));
      v.deferredPrefixes.forEach(p -> d.pendingPrefixes.addToValue(p, 1));
      v.deferredCountries.forEach(c -> d.pendingCountries.addToValue(c, 1));
    }
  }

  /** The silent half of Engine#bestChanged for a new best path: counters only, no detector. */
  private void best(VantagePoint v, int pid, int attr) {
    Prefix p = e.prefixes[pid];
    e.vis.update(pid, v.fullFeed, 1);
    if (v.prefixCount() == 0) {
      e.vis.addActiveVps(1);
    }
    if (p.isIpv4()) {
      v.v4Prefixes++;
    } else {
      v.v6Prefixes++;
    }
    e.contribute(v, pid, p, e.attrPath[attr], +1, 0);
  }

  /** Last reports and per-prefix states; known/visible counts follow from them. */
  private void detector() {
    ChangeDetector d = e.detector;
    byte[] st = img.prefixState();
    int[][] or = img.prefixOrigins();
    if (st.length != e.prefixCount || or.length != e.prefixCount) {
      throw new IllegalArgumentException(
          "detector state for " + st.length + " prefixes, image has " + e.prefixCount);
    }
    System.arraycopy(st, 0, d.prefixState, 0, st.length);
    System.arraycopy(or, 0, d.prefixOrigins, 0, or.length);
    for (int pid = 0; pid < st.length; pid++) {
      if (st[pid] == ChangeDetector.UNKNOWN) {
        continue;
      }
      boolean visible = st[pid] == ChangeDetector.VISIBLE;
      if (or[pid] != null) {
        for (int o : or[pid]) {
          d.originKnown.addToValue(o, 1);
          if (visible) {
            d.originVisible.addToValue(o, 1);
          }
        }
      }
      int cc = e.prefixCountry[pid];
      if (cc >= 0) {
        d.countryKnown.addToValue(cc, 1);
        if (visible) {
          d.countryVisible.addToValue(cc, 1);
        }
      }
    }
    for (RibImage.Report r : img.originReports()) {
      ChangeDetector.Report rep = report(r);
      d.fillEvidence(ChangeDetector.K_ORIGIN, r.subject(), rep);
      d.originReports.put(r.subject(), rep);
      if (r.driftSince() >= 0) {
        d.restoreDrift(ChangeDetector.K_ORIGIN, r.subject(), r.driftSince());
      }
    }
    for (RibImage.Report r : img.countryReports()) {
      int cc = country(r.subject());
      if (cc >= 0) {
        ChangeDetector.Report rep = report(r);
        d.fillEvidence(ChangeDetector.K_COUNTRY, cc, rep);
        d.countryReports.put(cc, rep);
        if (r.driftSince() >= 0) {
          d.restoreDrift(ChangeDetector.K_COUNTRY, cc, r.driftSince());
        }
      }
    }
    d.originEverVisible.addAll(img.originEverVisible());
    for (int c : img.countryEverVisible()) {
      int cc = country(c);
      if (cc >= 0) {
        d.countryEverVisible.add(cc);
      }
    }
    d.rebuildAggregateLoss();
  }

  private static ChangeDetector.Report report(RibImage.Report r) {
    if (r.upstreams().length != r.shares().length) {
      throw new IllegalArgumentException("report of " + r.subject() + ": lengths differ");
    }
    ChangeDetector.Report out = new ChangeDetector.Report();
    out.ups = r.upstreams();
    out.shares = r.shares();
    if (r.evidence() != null && r.evidence().length == r.upstreams().length) {
      out.evidence = r.evidence();
    }
    return out;
  }

  /** Outage keys of countries are re-derived from the code (the registry may have changed). */
  private void outages() {
    List<OutageTracker.Saved> saved = new ArrayList<>(img.outages().size());
    for (OutageTracker.Saved o : img.outages()) {
      if (o.scope() == Outage.Scope.COUNTRY) {
        int cc = e.countries.index(o.subject());
        if (cc < 0) {
          continue;
        }
        o =
            new OutageTracker.Saved(
                OutageTracker.key(Outage.Scope.COUNTRY, cc),
                o.scope(),
                o.subject(),
                o.phase(),
                o.belowSince(),
                o.recoverSince(),
                o.depth());
      }
      saved.add(o);
    }
    e.outages.restore(saved, img.outageHistory());
  }
}
