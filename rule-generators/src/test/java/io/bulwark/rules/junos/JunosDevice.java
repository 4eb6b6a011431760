package io.bulwark.rules.junos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A model of the Junos candidate configuration Bulwark writes: {@code set} creates what is missing
 * and appends a new term at the end of its filter, {@code delete} fails on what does not exist,
 * {@code insert} moves an existing term before another, and {@link #commit()} fails where {@code
 * commit check} would: a term naming a missing or empty prefix list, or a term without an action.
 * Commands must already pass {@link JunosGrammar}.
 */
final class JunosDevice {

  private final Map<String, TreeSet<String>> lists = new TreeMap<>();
  private final Map<String, LinkedHashMap<String, TreeSet<String>>> filters = new TreeMap<>();

  /** Applies every line of {@code commands} to the candidate configuration. */
  JunosDevice apply(String commands) {
    for (String line : commands.split("\n")) {
      if (!line.isEmpty()) {
        line(line.split(" "));
      }
    }
    return this;
  }

  /** Checks the candidate as a commit would and returns its state as comparable text. */
  String commit() {
    for (Map.Entry<String, LinkedHashMap<String, TreeSet<String>>> filter : filters.entrySet()) {
      for (Map.Entry<String, TreeSet<String>> term : filter.getValue().entrySet()) {
        long terminating =
            term.getValue().stream().filter(s -> s.matches("then (accept|discard)")).count();
        check(terminating == 1, "not exactly one terminating action " + term);
        for (String statement : term.getValue()) {
          if (statement.contains("prefix-list ")) {
            String list = statement.substring(statement.lastIndexOf(' ') + 1);
            check(lists.containsKey(list) && !lists.get(list).isEmpty(), "missing list " + list);
          }
        }
      }
    }
    return "lists " + lists + "\nfilters " + filters;
  }

  private void line(String[] words) {
    String verb = words[0];
    if (words[1].equals("policy-options")) {
      String name = words[3];
      if (verb.equals("set")) {
        check(lists.computeIfAbsent(name, n -> new TreeSet<>()).add(words[4]), "dup " + words[4]);
      } else if (words.length == 4) {
        check(lists.remove(name) != null, "no list " + name);
      } else {
        check(lists.containsKey(name) && lists.get(name).remove(words[4]), "no prefix " + words[4]);
      }
      return;
    }
    String filter = words[3];
    String term = words[7];
    LinkedHashMap<String, TreeSet<String>> terms =
        filters.computeIfAbsent(filter, f -> new LinkedHashMap<>());
    if (verb.equals("insert")) {
      check(terms.containsKey(term) && terms.containsKey(words[10]), "insert of missing terms");
      List<Map.Entry<String, TreeSet<String>>> order = new ArrayList<>(terms.entrySet());
      Map.Entry<String, TreeSet<String>> moved = Map.entry(term, terms.get(term));
      order.removeIf(e -> e.getKey().equals(term));
      int at = 0;
      while (!order.get(at).getKey().equals(words[10])) {
        at++;
      }
      order.add(at, moved);
      terms.clear();
      order.forEach(e -> terms.put(e.getKey(), e.getValue()));
      return;
    }
    String statement = String.join(" ", List.of(words).subList(8, words.length));
    if (verb.equals("set")) {
      terms.computeIfAbsent(term, t -> new TreeSet<>()).add(statement);
    } else if (statement.isEmpty()) {
      check(terms.remove(term) != null, "no term " + term);
    } else {
      check(terms.containsKey(term) && terms.get(term).remove(statement), "no " + statement);
    }
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError("Junos would refuse: " + message);
    }
  }
}
