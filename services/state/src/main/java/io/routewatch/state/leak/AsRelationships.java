package io.routewatch.state.leak;

import org.eclipse.collections.impl.map.mutable.primitive.LongByteHashMap;

/**
 * Business relationships between AS pairs, as CAIDA's as-rel files infer them: provider to customer
 * (p2c), peer to peer (p2p) or siblings. One primitive map keyed by the unordered pair (lower ASN
 * in the high half, unsigned), valued by what the lower AS is to the higher one; a lookup hashes
 * one long and allocates nothing. Built once by {@link Builder} and never changed after.
 */
public final class AsRelationships {
  /** No relationship known for the pair. */
  public static final byte UNKNOWN = 0;

  /** {@code a} is a provider of {@code b} (CAIDA {@code a|b|-1}). */
  public static final byte PROVIDER = 1;

  /** {@code a} is a customer of {@code b} (CAIDA {@code b|a|-1}). */
  public static final byte CUSTOMER = 2;

  /** {@code a} and {@code b} are peers (CAIDA {@code 0}). */
  public static final byte PEER = 3;

  /** {@code a} and {@code b} belong to one organisation (ProbLink {@code 1}). */
  public static final byte SIBLING = 4;

  /** Nothing known: every lookup is {@link #UNKNOWN}. */
  public static final AsRelationships EMPTY = new Builder().build();

  private final LongByteHashMap byPair;
  private final int p2c;
  private final int p2p;
  private final int siblings;

  private AsRelationships(LongByteHashMap byPair) {
    this.byPair = byPair;
    int[] n = new int[5];
    byPair.forEachValue(v -> n[v]++);
    this.p2c = n[PROVIDER] + n[CUSTOMER];
    this.p2p = n[PEER];
    this.siblings = n[SIBLING];
  }

  /**
   * What {@code a} is to {@code b} (ASNs as unsigned 32-bit in ints): {@link #PROVIDER}, {@link
   * #CUSTOMER}, {@link #PEER}, {@link #SIBLING} or {@link #UNKNOWN}.
   */
  public byte relation(int a, int b) {
    if (a == b) {
      return UNKNOWN;
    }
    boolean aLow = Integer.compareUnsigned(a, b) < 0;
    byte r = byPair.get(aLow ? key(a, b) : key(b, a));
    return aLow ? r : flip(r);
  }

  /** These links with {@code overrides}' replacing or adding to them (pair by pair). */
  public AsRelationships withOverrides(AsRelationships overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    LongByteHashMap m = new LongByteHashMap(byPair);
    m.putAll(overrides.byPair);
    return new AsRelationships(m);
  }

  /** Provider-to-customer links. */
  public int p2cLinks() {
    return p2c;
  }

  /** Peer-to-peer links. */
  public int p2pLinks() {
    return p2p;
  }

  /** Sibling links. */
  public int siblingLinks() {
    return siblings;
  }

  /** All links. */
  public int size() {
    return byPair.size();
  }

  public boolean isEmpty() {
    return byPair.isEmpty();
  }

  private static long key(int low, int high) {
    return ((low & 0xffffffffL) << 32) | (high & 0xffffffffL);
  }

  private static byte flip(byte r) {
    return r == PROVIDER ? CUSTOMER : r == CUSTOMER ? PROVIDER : r;
  }

  /** Collects links; a later link for the same pair replaces the earlier one. */
  public static final class Builder {
    private final LongByteHashMap byPair = new LongByteHashMap();

    /**
     * Records what {@code a} is to {@code b} ({@link #PROVIDER}, {@link #CUSTOMER}, {@link #PEER}
     * or {@link #SIBLING}); {@link #UNKNOWN} removes the pair. {@code a == b} is ignored.
     */
    public Builder put(int a, int b, byte relation) {
      if (a == b) {
        return this;
      }
      boolean aLow = Integer.compareUnsigned(a, b) < 0;
      long k = aLow ? key(a, b) : key(b, a);
      if (relation == UNKNOWN) {
        byPair.remove(k);
      } else {
        byPair.put(k, aLow ? relation : flip(relation));
      }
      return this;
    }

    /** Links recorded so far. */
    public int size() {
      return byPair.size();
    }

    /** The relationships recorded so far (a copy: the builder may go on). */
    public AsRelationships build() {
      return new AsRelationships(new LongByteHashMap(byPair));
    }
  }
}
