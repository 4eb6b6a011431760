package io.bulwark.rules.suricata;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;

/**
 * Gives each rule a sid derived from a key that names what the rule matches ({@code cm3 dns
 * evil.example}), so a rule keeps its sid from one generation to the next while rules come and go.
 * The key's 64-bit FNV-1a hash picks a slot in the range; a taken slot moves to the next free one.
 * Keys are placed in sorted order, so the result depends only on the set of keys.
 */
final class SidAllocator {

  private SidAllocator() {}

  /**
   * Returns the sid of every key, in the order of {@code keys}; the caller checks beforehand that
   * there are no more keys than sids.
   */
  static long[] allocate(List<String> keys, long base, int count) {
    TreeMap<String, Integer> sorted = new TreeMap<>();
    for (int i = 0; i < keys.size(); i++) {
      if (sorted.put(keys.get(i), i) != null) {
        throw new IllegalStateException("duplicate rule key " + keys.get(i));
      }
    }
    BitSet used = new BitSet(count);
    long[] sids = new long[keys.size()];
    for (var entry : sorted.entrySet()) {
      int slot = (int) Long.remainderUnsigned(fnv1a(entry.getKey()), count);
      int free = used.nextClearBit(slot);
      if (free >= count) {
        free = used.nextClearBit(0);
      }
      used.set(free);
      sids[entry.getValue()] = base + free;
    }
    return sids;
  }

  private static long fnv1a(String key) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xFF;
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
