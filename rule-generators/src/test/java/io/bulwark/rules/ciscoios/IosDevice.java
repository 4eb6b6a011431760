package io.bulwark.rules.ciscoios;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model of the parts of an IOS device's configuration Bulwark writes, applying commands the way
 * Cisco documents them and failing where IOS would refuse or silently differ: a duplicate sequence
 * number or a duplicate entry, an entry naming a missing object group, deleting a group an access
 * list uses or emptying it, removing an entry whose remark is still attached, a remark left without
 * an entry. Commands must already pass {@link IosGrammar}.
 */
final class IosDevice {

  private record Entry(String body, List<String> remarks) {}

  private static final Pattern GROUP_REF = Pattern.compile("object-group (\\S+)");

  private final Map<String, TreeSet<String>> groups = new TreeMap<>();
  private final Map<IosAcl, TreeMap<Long, Entry>> acls = new EnumMap<>(IosAcl.class);

  /** Applies every line of {@code commands}. */
  IosDevice apply(String commands) {
    String group = null;
    IosAcl acl = null;
    List<String> remarks = new ArrayList<>();
    for (String line : commands.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.equals("exit")) {
        check(remarks.isEmpty(), "remark without an entry: " + remarks);
        group = null;
        acl = null;
      } else if (line.startsWith("object-group network ")) {
        group = line.substring("object-group network ".length());
        groups.computeIfAbsent(group, g -> new TreeSet<>());
      } else if (line.startsWith("no object-group network ")) {
        String name = line.substring("no object-group network ".length());
        check(groups.remove(name) != null, "no such group " + name);
        check(!referenced(name), "group in use " + name);
      } else if (line.contains("resequence")) {
        String[] words = line.split(" ");
        resequence(aclNamed(words[3]), Long.parseLong(words[4]), Long.parseLong(words[5]));
      } else if (!line.startsWith(" ")) {
        acl = line.startsWith("ipv6") ? IosAcl.V6 : IosAcl.V4;
        acls.computeIfAbsent(acl, a -> new TreeMap<>());
      } else if (group != null) {
        groupLine(group, line.substring(1));
      } else {
        aclLine(acl, line.substring(1), remarks);
      }
    }
    check(remarks.isEmpty(), "remark without an entry");
    return this;
  }

  /** Returns the state as text, comparable between devices. */
  String state() {
    return "groups " + groups + "\nacls " + acls;
  }

  private void groupLine(String group, String line) {
    if (line.startsWith("no ")) {
      String entry = line.substring(3);
      check(groups.get(group).remove(entry), "no such entry " + entry + " in " + group);
      check(!groups.get(group).isEmpty() || !referenced(group), "emptied a group in use " + group);
    } else {
      check(groups.get(group).add(line), "entry already present " + line);
    }
  }

  private void aclLine(IosAcl acl, String line, List<String> remarks) {
    TreeMap<Long, Entry> entries = acls.get(acl);
    String numbered = acl == IosAcl.V6 ? line.replaceFirst("^(no )?sequence ", "$1") : line;
    if (numbered.startsWith("remark ")) {
      remarks.add(numbered.substring(7));
    } else if (numbered.startsWith("no remark ")) {
      String remark = numbered.substring(10);
      check(entries.values().stream().anyMatch(e -> e.remarks().remove(remark)), "no " + remark);
    } else if (numbered.startsWith("no ")) {
      Entry removed = entries.remove(Long.parseLong(numbered.substring(3)));
      check(removed != null, "no entry " + numbered);
      check(removed.remarks().isEmpty(), "removed an entry with remarks " + removed);
    } else {
      int space = numbered.indexOf(' ');
      long sequence = Long.parseLong(numbered.substring(0, space));
      String body = numbered.substring(space + 1);
      check(!entries.containsKey(sequence), "duplicate sequence number " + sequence);
      check(entries.values().stream().noneMatch(e -> e.body().equals(body)), "duplicate " + body);
      Matcher ref = GROUP_REF.matcher(body);
      while (ref.find()) {
        check(groups.containsKey(ref.group(1)), "missing group " + ref.group(1));
        check(!groups.get(ref.group(1)).isEmpty(), "empty group " + ref.group(1));
      }
      entries.put(sequence, new Entry(body, new ArrayList<>(remarks)));
      remarks.clear();
    }
  }

  private void resequence(IosAcl acl, long start, long step) {
    TreeMap<Long, Entry> entries = acls.get(acl);
    check(entries != null, "resequence of a missing list");
    TreeMap<Long, Entry> renumbered = new TreeMap<>();
    long sequence = start;
    for (Entry entry : entries.values()) {
      renumbered.put(sequence, entry);
      sequence += step;
    }
    acls.put(acl, renumbered);
  }

  private static IosAcl aclNamed(String name) {
    return name.equals("BULWARK-IN6") ? IosAcl.V6 : IosAcl.V4;
  }

  private boolean referenced(String group) {
    return acls.values().stream()
        .flatMap(entries -> entries.values().stream())
        .anyMatch(
            e ->
                e.body().contains("object-group " + group + " ")
                    || e.body().endsWith("object-group " + group));
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError("IOS would refuse or differ: " + message);
    }
  }
}
