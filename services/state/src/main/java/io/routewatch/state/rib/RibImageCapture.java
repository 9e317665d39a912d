package io.routewatch.state.rib;

import io.routewatch.state.route.AsPath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;

/**
 * Copies an {@link Engine}'s state into a {@link RibImage} (writer thread, under the write lock).
 * Cost: O(routes) array copies plus O(interned values); no value object is copied (paths, attribute
 * sets and prefixes are immutable and shared with the image). Attribute-set and path ids are made
 * dense on the way, so the image has no holes where the interners had freed ids.
 */
final class RibImageCapture {
  private RibImageCapture() {}

  static RibImage capture(Engine e) {
    // Dense ids for live attribute sets and the paths they reference.
    int cap = e.attrs.capacity();
    int[] attrRemap = new int[cap];
    Arrays.fill(attrRemap, -1);
    int[] pathRemap = new int[e.paths.capacity()];
    Arrays.fill(pathRemap, -1);
    List<AsPath> paths = new ArrayList<>(e.paths.size());
    RouteAttributes[] attrs = new RouteAttributes[e.attrs.size()];
    int[] attrPath = new int[attrs.length];
    int na = 0;
    for (int id = 0; id < cap; id++) {
      Engine.AttrKey k = e.attrs.get(id);
      if (k == null) {
        continue;
      }
      int p = k.pathId();
      if (pathRemap[p] < 0) {
        pathRemap[p] = paths.size();
        paths.add(e.paths.get(p));
      }
      attrRemap[id] = na;
      attrs[na] = k.attrs();
      attrPath[na++] = pathRemap[p];
    }
    String[] countries = new String[e.countries.countryCount()];
    for (int i = 0; i < countries.length; i++) {
      countries[i] = e.countries.code(i);
    }
    List<RibImage.Vp> vps = new ArrayList<>(e.vpCount);
    for (int i = 0; i < e.vpCount; i++) {
      vps.add(vp(e.vps[i], attrRemap));
    }
    ChangeDetector d = e.detector;
    List<RibImage.SharePair> originPairs = new ArrayList<>();
    e.originShares.forEachPair(
        (s, u, f, since, l) -> originPairs.add(new RibImage.SharePair(s, u, f, since, l)));
    List<RibImage.SharePair> countryPairs = new ArrayList<>();
    e.countryShares.forEachPair(
        (s, u, f, since, l) -> countryPairs.add(new RibImage.SharePair(s, u, f, since, l)));
    return new RibImage(
        new RibImage.Scalars(
            e.clock,
            e.firstTs,
            e.warm,
            e.denominatorDirty,
            e.lastReevaluation,
            e.updates,
            d.eventsEmitted),
        countries,
        Arrays.copyOf(e.prefixes, e.prefixCount),
        paths.toArray(AsPath[]::new),
        attrPath,
        attrs,
        vps,
        originPairs,
        countryPairs,
        Arrays.copyOf(d.prefixState, e.prefixCount),
        // Elements are replaced, never written in place, by the detector: a shallow copy is a copy.
        Arrays.copyOf(d.prefixOrigins, e.prefixCount),
        reports(d.originReports, d, ChangeDetector.K_ORIGIN),
        reports(d.countryReports, d, ChangeDetector.K_COUNTRY),
        d.originEverVisible.toArray(),
        d.countryEverVisible.toArray(),
        e.outages.saveStates(),
        e.outages.history());
  }

  private static RibImage.Vp vp(VantagePoint v, int[] attrRemap) {
    int n = v.routes.size();
    long[] keys = new long[n];
    int[] values = new int[n];
    int[] at = {0};
    v.routes.forEachKeyValue(
        (k, a) -> {
          keys[at[0]] = k;
          values[at[0]++] = attrRemap[a];
        });
    boolean deferring = v.deferring();
    return new RibImage.Vp(
        v.key,
        v.phase,
        v.fullFeed,
        v.deadline,
        v.afisLoaded,
        v.afisEnded,
        v.addPath != null,
        keys,
        values,
        v.stale == null ? null : v.stale.toArray(),
        deferring ? v.deferredOrigins.toArray() : null,
        deferring ? v.deferredPrefixes.toArray() : null,
        deferring ? v.deferredCountries.toArray() : null);
  }

  private static List<RibImage.Report> reports(
      IntObjectHashMap<ChangeDetector.Report> map, ChangeDetector d, int kind) {
    List<RibImage.Report> out = new ArrayList<>(map.size());
    // Report arrays are replaced, never written in place: sharing them is safe.
    map.forEachKeyValue(
        (s, r) ->
            out.add(new RibImage.Report(s, r.ups, r.shares, d.driftSince(kind, s), r.evidence)));
    return out;
  }
}
