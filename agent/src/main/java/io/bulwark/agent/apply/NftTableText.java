package io.bulwark.agent.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One nftables table in a canonical, comparable form: the text fed to {@code nft -f} and the text
 * {@code nft -s list table} prints for it parse to equal values.
 *
 * <p>Sets and maps become their attributes, flags and elements as sorted sets (nft prints elements
 * in its own order and wraps long lists across lines); chains become their hook (see {@link
 * NftStatements#hook}) and their rules in order; any other object keeps its statements as a sorted
 * set. Immutable and thread-safe.
 */
public final class NftTableText {

  private record SetText(
      SortedSet<String> attributes, SortedSet<String> flags, SortedSet<String> elements) {}

  private record ChainText(String hook, List<String> rules) {}

  private final String header;
  private final Map<String, SetText> sets = new TreeMap<>();
  private final Map<String, ChainText> chains = new TreeMap<>();
  private final Map<String, SortedSet<String>> others = new TreeMap<>();

  private NftTableText(String header) {
    this.header = header;
  }

  /**
   * Parses text holding exactly one table.
   *
   * @throws io.bulwark.agent.AgentException when the text is not one well-formed table
   */
  public static NftTableText parse(String text) {
    List<NftScanner.Node> nodes = NftScanner.scan(text);
    if (nodes.size() != 1 || !(nodes.get(0) instanceof NftScanner.Block table)) {
      throw new NftTextException("expected exactly one table, found " + nodes.size() + " items");
    }
    NftTableText result = new NftTableText(table.header());
    for (NftScanner.Node node : table.children()) {
      if (node instanceof NftScanner.Statement statement) {
        result.others.computeIfAbsent("table", k -> new TreeSet<>()).add(statement.text());
        continue;
      }
      NftScanner.Block block = (NftScanner.Block) node;
      List<String> statements = statements(block);
      if (block.header().startsWith("set ") || block.header().startsWith("map ")) {
        result.sets.put(block.header(), set(statements));
      } else if (block.header().startsWith("chain ")) {
        result.chains.put(block.header(), chain(statements));
      } else {
        result.others.put(block.header(), new TreeSet<>(statements));
      }
    }
    return result;
  }

  private static List<String> statements(NftScanner.Block block) {
    List<String> statements = new ArrayList<>();
    for (NftScanner.Node child : block.children()) {
      if (!(child instanceof NftScanner.Statement statement)) {
        throw new NftTextException(
            "line " + child.line() + ": unexpected block in " + block.header());
      }
      statements.add(statement.text());
    }
    return statements;
  }

  private static SetText set(List<String> statements) {
    SetText set = new SetText(new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
    for (String statement : statements) {
      if (statement.startsWith("elements ")) {
        String list = statement.substring(statement.indexOf('=') + 1).trim();
        if (!list.startsWith("{") || !list.endsWith("}")) {
          throw new NftTextException("elements must be a { ... } list: '" + statement + "'");
        }
        set.elements()
            .addAll(NftStatements.splitTopLevel(list.substring(1, list.length() - 1), ','));
      } else if (statement.startsWith("flags ")) {
        set.flags().addAll(NftStatements.splitTopLevel(statement.substring(6), ','));
      } else {
        set.attributes().add(statement);
      }
    }
    return set;
  }

  private static ChainText chain(List<String> statements) {
    String hook = null;
    String policy = null;
    List<String> rules = new ArrayList<>();
    for (String statement : statements) {
      if (statement.startsWith("type ")) {
        hook = statement;
      } else if (statement.startsWith("policy ")) {
        policy = statement.substring(7).trim();
      } else {
        rules.add(NftStatements.rule(statement));
      }
    }
    return new ChainText(
        hook == null && policy == null
            ? null
            : NftStatements.hook(hook == null ? "" : hook, policy),
        List.copyOf(rules));
  }

  /**
   * Compares this table (what was applied) with {@code actual} (what was read back).
   *
   * @return empty when equal, otherwise the first difference in words
   */
  public Optional<String> firstDifference(NftTableText actual) {
    if (!header.equals(actual.header)) {
      return Optional.of("expected '" + header + "', found '" + actual.header + "'");
    }
    Optional<String> difference = missingOrExtra("", "", sets.keySet(), actual.sets.keySet());
    for (var entry : sets.entrySet()) {
      if (difference.isPresent()) {
        return difference;
      }
      String scope = entry.getKey() + ": ";
      SetText want = entry.getValue();
      SetText got = actual.sets.get(entry.getKey());
      difference =
          missingOrExtra(scope, "", want.attributes(), got.attributes())
              .or(() -> missingOrExtra(scope, "flag ", want.flags(), got.flags()))
              .or(() -> missingOrExtra(scope, "element ", want.elements(), got.elements()));
    }
    if (difference.isPresent()) {
      return difference;
    }
    difference = missingOrExtra("", "", chains.keySet(), actual.chains.keySet());
    for (var entry : chains.entrySet()) {
      if (difference.isPresent()) {
        return difference;
      }
      String name = entry.getKey();
      difference = chainDifference(name, entry.getValue(), actual.chains.get(name));
    }
    if (difference.isPresent()) {
      return difference;
    }
    difference = missingOrExtra("", "", others.keySet(), actual.others.keySet());
    for (var entry : others.entrySet()) {
      if (difference.isPresent()) {
        return difference;
      }
      String scope = entry.getKey() + ": ";
      difference = missingOrExtra(scope, "", entry.getValue(), actual.others.get(entry.getKey()));
    }
    return difference;
  }

  private static Optional<String> chainDifference(String name, ChainText want, ChainText got) {
    if (want.hook() == null ? got.hook() != null : !want.hook().equals(got.hook())) {
      return Optional.of(
          name + ": expected hook '" + want.hook() + "', found '" + got.hook() + "'");
    }
    for (int i = 0; i < Math.max(want.rules().size(), got.rules().size()); i++) {
      int number = i + 1;
      if (i >= got.rules().size()) {
        return Optional.of(name + ": rule " + number + " '" + want.rules().get(i) + "' is missing");
      }
      if (i >= want.rules().size()) {
        return Optional.of(name + ": unexpected rule " + number + " '" + got.rules().get(i) + "'");
      }
      if (!want.rules().get(i).equals(got.rules().get(i))) {
        return Optional.of(
            name
                + ", rule "
                + number
                + ": expected '"
                + want.rules().get(i)
                + "', found '"
                + got.rules().get(i)
                + "'");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> missingOrExtra(
      String scope, String noun, Set<String> want, Set<String> got) {
    for (String item : want) {
      if (!got.contains(item)) {
        return Optional.of(scope + noun + item + " is missing");
      }
    }
    for (String item : got) {
      if (!want.contains(item)) {
        return Optional.of(scope + "unexpected " + noun + item);
      }
    }
    return Optional.empty();
  }

  /** The number of elements in all sets and maps. */
  public int elementCount() {
    return sets.values().stream().mapToInt(s -> s.elements().size()).sum();
  }

  /** This table with every set and map emptied, to compare with {@code nft -t} (terse) output. */
  public NftTableText withoutElements() {
    NftTableText copy = new NftTableText(header);
    sets.forEach(
        (name, set) ->
            copy.sets.put(name, new SetText(set.attributes(), set.flags(), new TreeSet<>())));
    copy.chains.putAll(chains);
    copy.others.putAll(others);
    return copy;
  }

  /** For example {@code table inet bulwark: 1 set (3 elements), 2 chains (3 rules)}. */
  public String summary() {
    int elements = sets.values().stream().mapToInt(s -> s.elements().size()).sum();
    int rules = chains.values().stream().mapToInt(c -> c.rules().size()).sum();
    return header.substring("table ".length())
        + ": "
        + count(sets.size(), "set")
        + " ("
        + count(elements, "element")
        + "), "
        + count(chains.size(), "chain")
        + " ("
        + count(rules, "rule")
        + ")";
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
