package io.bulwark.rules.ciscoios;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The commands that change one access list from its entries in one plan to those in another, entry
 * by entry, so a changed countermeasure touches only the entries that changed.
 *
 * <p>An entry is identified by its countermeasure and its text. Entries kept keep their relative
 * order, because both plans order entries the same way. The list is renumbered in steps wider than
 * the number of new entries, so every new entry fits by number between the kept entries around it;
 * remarks (which IOS attaches to the next entry typed) are removed before any entry and typed again
 * just before the first entry of their block when that first entry changed, in which case that
 * entry is typed again too. The final {@code permit} is always kept.
 */
final class IosAclDelta {

  private record Ace(long id, String remark, String body, boolean first) {
    String key() {
      return id + " " + body;
    }
  }

  private IosAclDelta() {}

  /** Appends the commands for {@code acl} to {@code out}; nothing when the entries are equal. */
  static void append(
      StringBuilder out, IosAcl acl, List<IosPlan.Block> old, List<IosPlan.Block> next) {
    List<Ace> before = flatten(old, acl);
    List<Ace> after = flatten(next, acl);
    Map<Long, Ace> firstBefore = firsts(before);
    Map<Long, Ace> firstAfter = firsts(after);
    Set<String> keys = new HashSet<>();
    before.forEach(ace -> keys.add(ace.key()));
    Set<String> kept = new HashSet<>();
    for (Ace ace : after) {
      Ace oldFirst = firstBefore.get(ace.id());
      boolean remarkMoves = ace.first() && oldFirst != null && !oldFirst.key().equals(ace.key());
      if (keys.contains(ace.key()) && !remarkMoves) {
        kept.add(ace.key());
      }
    }
    if (kept.size() == before.size() && kept.size() == after.size()) {
      return;
    }
    long added = after.size() - kept.size();
    long step = Math.max(10, added + 1);
    out.append(acl.resequence(step, step)).append('\n');
    out.append(acl.header()).append('\n');
    for (Ace first : firstBefore.values()) {
      Ace now = firstAfter.get(first.id());
      if (now == null || !kept.contains(now.key()) || !now.key().equals(first.key())) {
        out.append(" no ").append(first.remark()).append('\n');
      }
    }
    Map<String, Long> sequences = new HashMap<>();
    for (int i = 0; i < before.size(); i++) {
      long sequence = step * (i + 1);
      sequences.put(before.get(i).key(), sequence);
      if (!kept.contains(before.get(i).key())) {
        out.append(' ').append(acl.remove(sequence)).append('\n');
      }
    }
    long previous = 0;
    for (Ace ace : after) {
      if (kept.contains(ace.key())) {
        previous = sequences.get(ace.key());
        continue;
      }
      if (ace.first()) {
        out.append(' ').append(ace.remark()).append('\n');
      }
      out.append(' ').append(acl.numbered(++previous, ace.body())).append('\n');
    }
    out.append("exit\n");
    out.append(acl.resequence(10, 10)).append('\n');
  }

  /** Returns the entries of {@code blocks} in order, the final permit last. */
  private static List<Ace> flatten(List<IosPlan.Block> blocks, IosAcl acl) {
    List<Ace> aces = new ArrayList<>();
    for (IosPlan.Block block : blocks) {
      for (int i = 0; i < block.entries().size(); i++) {
        aces.add(new Ace(block.id(), block.remark(), block.entries().get(i), i == 0));
      }
    }
    aces.add(new Ace(0, null, acl.finalEntry(), false));
    return aces;
  }

  private static Map<Long, Ace> firsts(List<Ace> aces) {
    Map<Long, Ace> firsts = new java.util.LinkedHashMap<>();
    aces.stream().filter(Ace::first).forEach(ace -> firsts.put(ace.id(), ace));
    return firsts;
  }
}
