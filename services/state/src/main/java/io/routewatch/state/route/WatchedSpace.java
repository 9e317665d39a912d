package io.routewatch.state.route;

import java.util.Arrays;
import java.util.Collection;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * The space the alert service watches: prefixes (a binary trie per address family) and origin ASes
 * (a hash set). A prefix is watched when it is equal to, more specific than or covering a watched
 * prefix, or when one of its origins is a watched AS. Immutable; a lookup walks at most the
 * prefix's length in trie nodes and allocates nothing.
 */
public final class WatchedSpace {
  /** Nothing watched. */
  public static final WatchedSpace NONE =
      new WatchedSpace(new Trie(), new Trie(), new IntHashSet());

  private final Trie v4;
  private final Trie v6;
  private final IntHashSet asns;
  private final int prefixCount;

  private WatchedSpace(Trie v4, Trie v6, IntHashSet asns) {
    this.v4 = v4;
    this.v6 = v6;
    this.asns = asns;
    this.prefixCount = v4.terminals + v6.terminals;
  }

  /**
   * The space of these prefixes and origin ASes (unsigned 32-bit in an int; AS0 is ignored: nothing
   * originates it). Duplicates count once.
   */
  public static WatchedSpace of(Collection<Prefix> prefixes, int[] originAsns) {
    Trie v4 = new Trie();
    Trie v6 = new Trie();
    for (Prefix p : prefixes) {
      (p.isIpv4() ? v4 : v6).add(p);
    }
    IntHashSet a = new IntHashSet();
    for (int asn : originAsns) {
      if (asn != 0) {
        a.add(asn);
      }
    }
    return new WatchedSpace(v4, v6, a);
  }

  public boolean isEmpty() {
    return prefixCount == 0 && asns.isEmpty();
  }

  /** Distinct watched prefixes. */
  public int prefixCount() {
    return prefixCount;
  }

  /** Distinct watched origin ASes. */
  public int asnCount() {
    return asns.size();
  }

  /** True when {@code asn} (unsigned 32-bit in an int) is a watched AS. */
  public boolean watchesAsn(int asn) {
    return asns.contains(asn);
  }

  /** The watched ASes (unsigned 32-bit in ints), sorted as signed ints; a copy. */
  public int[] asns() {
    return asns.toSortedArray();
  }

  /**
   * True when the prefix is watched: equal to, more specific than or covering a watched prefix, or
   * originated by a watched AS ({@code origins} as unsigned 32-bit in ints, may be empty).
   */
  public boolean watches(Prefix p, int[] origins) {
    if (!asns.isEmpty()) {
      for (int o : origins) {
        if (asns.contains(o)) {
          return true;
        }
      }
    }
    return (p.isIpv4() ? v4 : v6).related(p);
  }

  /**
   * True when an ASN of the path (its flat {@code AsPath} encoding: origin, transit or the VP's
   * peer) is a watched AS. Allocates nothing.
   */
  public boolean watchesAsnOn(int[] pathEncoding) {
    if (asns.isEmpty()) {
      return false;
    }
    for (int o = 0; o < pathEncoding.length; o += pathEncoding[o + 1] + 2) {
      int end = o + 2 + pathEncoding[o + 1];
      for (int k = o + 2; k < end; k++) {
        if (asns.contains(pathEncoding[k])) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when the prefix is equal to, more specific than or covering a watched prefix. */
  public boolean watchesPrefix(Prefix p) {
    return (p.isIpv4() ? v4 : v6).related(p);
  }

  /** A binary trie of one address family: node 0 is the root; -1 = no child. */
  private static final class Trie {
    private int[] zero = new int[16];
    private int[] one = new int[16];
    private boolean[] terminal = new boolean[16];
    private int nodes = 1;
    private int terminals;

    Trie() {
      Arrays.fill(zero, -1);
      Arrays.fill(one, -1);
    }

    void add(Prefix p) {
      byte[] a = p.address();
      int n = 0;
      for (int bit = 0; bit < p.length(); bit++) {
        boolean set = (a[bit >>> 3] & (0x80 >>> (bit & 7))) != 0;
        int next = set ? one[n] : zero[n];
        if (next < 0) {
          next = newNode();
          if (set) {
            one[n] = next;
          } else {
            zero[n] = next;
          }
        }
        n = next;
      }
      if (!terminal[n]) {
        terminal[n] = true;
        terminals++;
      }
    }

    private int newNode() {
      if (nodes == zero.length) {
        int size = nodes * 2;
        zero = Arrays.copyOf(zero, size);
        one = Arrays.copyOf(one, size);
        terminal = Arrays.copyOf(terminal, size);
        Arrays.fill(zero, nodes, size, -1);
        Arrays.fill(one, nodes, size, -1);
      }
      return nodes++;
    }

    /**
     * A watched prefix on the way down (p equal or more specific), or a node at p's depth (every
     * node leads to a watched prefix: p covers one).
     */
    boolean related(Prefix p) {
      if (terminals == 0) {
        return false;
      }
      int len = p.length();
      int n = 0;
      for (int bit = 0; ; bit++) {
        if (terminal[n]) {
          return true;
        }
        if (bit == len) {
          return true; // n exists, so a watched prefix lies below it
        }
        boolean set = p.bit(bit);
        n = set ? one[n] : zero[n];
        if (n < 0) {
          return false;
        }
      }
    }
  }
}
