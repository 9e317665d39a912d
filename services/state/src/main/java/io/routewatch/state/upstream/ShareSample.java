package io.routewatch.state.upstream;

import java.util.Arrays;

/**
 * The shares of a subject's present upstreams at one instant, by upstream ASN: what a history share
 * sample stores. The address share is the IPv4 one, else the IPv6 one, else 0.
 *
 * @param upstreams upstream ASNs, ascending
 * @param vpShares VP-weighted share of each
 * @param addressShares address share of each
 */
public record ShareSample(long[] upstreams, double[] vpShares, double[] addressShares) {
  public static final ShareSample EMPTY =
      new ShareSample(new long[0], new double[0], new double[0]);

  public int size() {
    return upstreams.length;
  }

  /**
   * Equal for equal samples (upstreams and exact share values); a changed one differs but for a
   * 64-bit hash collision.
   */
  public long fingerprint() {
    long h = mix(upstreams.length);
    for (int i = 0; i < upstreams.length; i++) {
      h = mix(h ^ upstreams[i]);
      h = mix(h ^ Double.doubleToLongBits(vpShares[i]));
      h = mix(h ^ Double.doubleToLongBits(addressShares[i]));
    }
    return h;
  }

  /** SplitMix64's finalizer. */
  private static long mix(long x) {
    x += 0x9E3779B97F4A7C15L;
    x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
    x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
    return x ^ (x >>> 31);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShareSample s
        && Arrays.equals(upstreams, s.upstreams)
        && Arrays.equals(vpShares, s.vpShares)
        && Arrays.equals(addressShares, s.addressShares);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(fingerprint());
  }

  @Override
  public String toString() {
    return "ShareSample"
        + Arrays.toString(upstreams)
        + Arrays.toString(vpShares)
        + Arrays.toString(addressShares);
  }
}
