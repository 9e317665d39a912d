package io.routewatch.state.rib;

import java.util.Arrays;

/**
 * Hash-consing table with reference counts: equal values get one small int id, and the id is freed
 * (and reused) when its count drops to zero. Open addressing with linear probing and backward-shift
 * deletion, so there are no tombstones and no per-entry objects beyond the values. Not thread-safe
 * (the RIB's single writer owns it).
 */
final class Interner<T> {
  private Object[] values = new Object[64];
  private int[] refs = new int[64];
  private int[] hashes = new int[64];
  private int[] table = new int[128]; // id + 1; 0 = empty slot
  private int mask = 127;
  private int size;
  private int highWater; // ids below this have been handed out at least once
  private int[] free = new int[16];
  private int freeCount;
  private boolean lastNew;

  /** Returns the id of {@code value}, taking one reference; {@link #lastWasNew()} tells if new. */
  int intern(T value) {
    int h = mix(value.hashCode());
    int slot = h & mask;
    while (true) {
      int e = table[slot];
      if (e == 0) {
        break;
      }
      int id = e - 1;
      if (hashes[id] == h && values[id].equals(value)) {
        refs[id]++;
        lastNew = false;
        return id;
      }
      slot = (slot + 1) & mask;
    }
    int id = freeCount > 0 ? free[--freeCount] : highWater++;
    if (id >= values.length) {
      int n = values.length * 2;
      values = Arrays.copyOf(values, n);
      refs = Arrays.copyOf(refs, n);
      hashes = Arrays.copyOf(hashes, n);
    }
    values[id] = value;
    refs[id] = 1;
    hashes[id] = h;
    table[slot] = id + 1;
    size++;
    lastNew = true;
    if (size * 2 > table.length) {
      rehash(table.length * 2);
    }
    return id;
  }

  boolean lastWasNew() {
    return lastNew;
  }

  /** Takes one more reference on an existing id. */
  void retain(int id) {
    refs[id]++;
  }

  /** Drops one reference; returns true if the id was freed. */
  boolean release(int id) {
    if (--refs[id] > 0) {
      return false;
    }
    int slot = hashes[id] & mask;
    while (table[slot] != id + 1) {
      slot = (slot + 1) & mask;
    }
    // Backward-shift deletion: move later entries of the probe run into the hole.
    int hole = slot;
    int s = (slot + 1) & mask;
    while (table[s] != 0) {
      int home = hashes[table[s] - 1] & mask;
      if (((s - home) & mask) >= ((s - hole) & mask)) {
        table[hole] = table[s];
        hole = s;
      }
      s = (s + 1) & mask;
    }
    table[hole] = 0;
    values[id] = null;
    size--;
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, free.length * 2);
    }
    free[freeCount++] = id;
    return true;
  }

  @SuppressWarnings("unchecked")
  T get(int id) {
    return (T) values[id];
  }

  int refCount(int id) {
    return refs[id];
  }

  int size() {
    return size;
  }

  /** One more than the largest id ever handed out: size parallel arrays to this. */
  int capacity() {
    return values.length;
  }

  private void rehash(int n) {
    int[] t = new int[n];
    int m = n - 1;
    for (int e : table) {
      if (e != 0) {
        int slot = hashes[e - 1] & m;
        while (t[slot] != 0) {
          slot = (slot + 1) & m;
        }
        t[slot] = e;
      }
    }
    table = t;
    mask = m;
  }

  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
