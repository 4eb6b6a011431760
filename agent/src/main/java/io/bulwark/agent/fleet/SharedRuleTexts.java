package io.bulwark.agent.fleet;

import io.bulwark.agent.bundle.RuleTexts;
import io.bulwark.delta.LineText;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rule sets the simulated agents of one process verified last, one copy each, by digest. A
 * thousand agents holding their own copy of a large rule set filled the heap, and each rollout
 * then cost the process more in garbage collection than in verifying. Only texts an agent checked
 * against the signed digest go in (by their SHA-256, or by the block digest signed with it), so
 * equal digests mean equal texts; and rules equal to a text kept under their signed digest need not
 * be hashed again ({@link #verified}). The last few deltas rebuilt from a text kept here are kept
 * too, by that very base object and the delta's content, so that the agents of a process rebuild
 * and check each delta to a shared base once, as each real agent does once on its own host (a base
 * an agent read back on its own is no one else's: what is rebuilt from it is not kept). Thread-safe.
 */
final class SharedRuleTexts implements RuleTexts {
  /** Enough for a rollout under way beside the rule set before it. */
  static final int KEPT = 4;

  private final Map<String, LineText> byDigest =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LineText> eldest) {
          return size() > KEPT;
        }
      };

  /** A delta and the base it was applied to, compared by identity: the same object. */
  private record Made(String base, RuleDelta delta) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Made other && other.base == base && other.delta.equals(delta);
    }

    @Override
    public int hashCode() {
      return 31 * System.identityHashCode(base) + delta.hashCode();
    }
  }

  private final Map<Made, Rebuilt> rebuilt =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Made, Rebuilt> eldest) {
          return size() > KEPT;
        }
      };

  @Override
  public synchronized LineText share(String digest, LineText verified) {
    LineText known = byDigest.putIfAbsent(digest, verified);
    return known == null ? verified : known;
  }

  @Override
  public synchronized Optional<LineText> verified(String digest) {
    return Optional.ofNullable(byDigest.get(digest));
  }

  @Override
  public Optional<Rebuilt> rebuiltBefore(String base, RuleDelta delta) {
    Made key = key(base, delta);
    synchronized (this) {
      return Optional.ofNullable(rebuilt.get(key));
    }
  }

  @Override
  public void keepRebuilt(String base, RuleDelta delta, Rebuilt made) {
    Made key = key(base, delta);
    synchronized (this) {
      if (byDigest.values().stream().anyMatch(kept -> kept.text() == base)) {
        rebuilt.putIfAbsent(key, made);
      }
    }
  }

  /** The key, its delta's hash found outside the lock (the message keeps it once found). */
  private static Made key(String base, RuleDelta delta) {
    delta.hashCode();
    return new Made(base, delta);
  }
}
