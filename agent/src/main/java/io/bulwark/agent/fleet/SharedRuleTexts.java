package io.bulwark.agent.fleet;

import io.bulwark.agent.bundle.RuleTexts;
import io.bulwark.delta.LineText;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rule sets the simulated agents of one process verified last, one copy each, by digest. A
 * thousand agents holding their own copy of a large rule set filled the heap, and each rollout
 * then cost the process more in garbage collection than in verifying. Only texts an agent checked
 * against the signed digest go in (by their SHA-256, or by the block digest signed with it), so
 * equal digests mean equal texts. Thread-safe.
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

  @Override
  public synchronized LineText share(String digest, LineText verified) {
    LineText known = byDigest.putIfAbsent(digest, verified);
    return known == null ? verified : known;
  }
}
