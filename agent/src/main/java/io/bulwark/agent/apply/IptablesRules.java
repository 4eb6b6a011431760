package io.bulwark.agent.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An iptables rule set checked to stay within what Bulwark owns: the ipsets named {@code bw-...}
 * and the filter chains {@code BULWARK-INPUT}, {@code BULWARK-FORWARD} and {@code BULWARK-OUTPUT}.
 *
 * <p>The text holds three files, as the iptables generator writes them: {@value #IPSET_FILE} (only
 * {@code create} and {@code add} lines for {@code bw-} sets), {@value #IPV4_FILE} and {@value
 * #IPV6_FILE} (one {@code *filter} table declaring the three chains, {@code -A} lines appending to
 * them and {@code COMMIT}). A controller that is trusted to send rules is still not trusted to
 * rewrite the host's firewall: no other table, chain, command or jump target, and no set the file
 * does not create, gets through. Immutable and thread-safe.
 *
 * @param sets set name to its definition, in file order
 * @param v4 the {@code -A} lines of {@value #IPV4_FILE}, in order
 * @param v6 the {@code -A} lines of {@value #IPV6_FILE}, in order
 */
public record IptablesRules(Map<String, IpSet> sets, List<String> v4, List<String> v6) {

  public static final String IPSET_FILE = "bulwark.ipset";
  public static final String IPV4_FILE = "bulwark.iptables";
  public static final String IPV6_FILE = "bulwark.ip6tables";

  /** The chains Bulwark owns, each jumped to from the built-in chain of the same suffix. */
  public static final List<String> CHAINS = List.of("BULWARK-INPUT", "BULWARK-FORWARD", "BULWARK-OUTPUT");

  /** Names of the temporary sets used while swapping; never in a rule set. */
  static final String TEMP_PREFIX = "bw-tmp-";

  private static final Pattern SET_NAME = Pattern.compile("bw-[a-z0-9][a-z0-9-]{0,27}");
  private static final Set<String> SET_TYPES = Set.of("hash:net", "hash:ip", "bitmap:port");
  private static final Pattern OPTION = Pattern.compile("[a-z0-9][a-z0-9:._/-]{0,40}");
  private static final Pattern ELEMENT = Pattern.compile("[0-9a-fA-F][0-9a-fA-F:./-]{0,48}");
  private static final Pattern CHAIN_DECLARATION =
      Pattern.compile(":(BULWARK-(?:INPUT|FORWARD|OUTPUT)) - \\[[0-9]{1,20}:[0-9]{1,20}\\]");
  private static final Pattern APPEND = Pattern.compile("-A (BULWARK-(?:INPUT|FORWARD|OUTPUT)) (.*)");
  private static final Pattern RULE_TEXT = Pattern.compile("[A-Za-z0-9 ._:/\",=!-]{1,400}");
  private static final Pattern TARGET = Pattern.compile("(?:^| )(?:-j|--jump|-g|--goto) ([^ ]+)");
  private static final Set<String> TARGETS = Set.of("DROP", "LOG", "ACCEPT", "RETURN", "REJECT");
  private static final Pattern MATCH_SET = Pattern.compile("--match-set ([^ ]+)");

  /**
   * One set: its {@code create} line (type and options as written) and its elements.
   *
   * @param create the whole {@code create} line without the trailing newline
   * @param elements each {@code add} line's element, in file order
   */
  public record IpSet(String name, String type, String create, List<String> elements) {
    public IpSet {
      elements = List.copyOf(elements);
    }
  }

  public IptablesRules {
    sets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sets));
    v4 = List.copyOf(v4);
    v6 = List.copyOf(v6);
  }

  /**
   * Parses and checks {@code text}.
   *
   * @throws IllegalArgumentException with the reason it is refused
   */
  public static IptablesRules parse(String text) {
    Map<String, String> files =
        RuleFiles.split(text)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "expected the files " + IPSET_FILE + ", " + IPV4_FILE + " and " + IPV6_FILE));
    if (!files.keySet().equals(Set.of(IPSET_FILE, IPV4_FILE, IPV6_FILE))) {
      throw new IllegalArgumentException(
          "expected exactly the files " + IPSET_FILE + ", " + IPV4_FILE + " and " + IPV6_FILE
              + ", got " + files.keySet());
    }
    Map<String, IpSet> sets = sets(files.get(IPSET_FILE));
    return new IptablesRules(
        sets, chains(IPV4_FILE, files.get(IPV4_FILE), sets), chains(IPV6_FILE, files.get(IPV6_FILE), sets));
  }

  /** The total number of set elements. */
  public int elementCount() {
    return sets.values().stream().mapToInt(set -> set.elements().size()).sum();
  }

  /** The {@code -A} lines of one family. */
  public List<String> rules(boolean ipv6) {
    return ipv6 ? v6 : v4;
  }

  /** Writes the text {@link #parse} reads. */
  public String text() {
    StringBuilder ipset = new StringBuilder();
    for (IpSet set : sets.values()) {
      ipset.append(set.create()).append('\n');
      set.elements().forEach(e -> ipset.append("add ").append(set.name()).append(' ').append(e).append('\n'));
    }
    Map<String, String> files = new LinkedHashMap<>();
    files.put(IPSET_FILE, ipset.toString());
    files.put(IPV4_FILE, chainsFile(v4, List.of()));
    files.put(IPV6_FILE, chainsFile(v6, List.of()));
    return RuleFiles.join(files);
  }

  /** Summary for logs: sets, elements and rules. */
  public String summary() {
    return "iptables: " + sets.size() + " sets (" + elementCount() + " elements), "
        + v4.size() + " IPv4 and " + v6.size() + " IPv6 rules in BULWARK chains";
  }

  /** An {@code iptables-restore} file declaring (and so flushing) the chains, then {@code lines}. */
  static String chainsFile(List<String> appends, List<String> extra) {
    StringBuilder out = new StringBuilder("*filter\n");
    CHAINS.forEach(chain -> out.append(':').append(chain).append(" - [0:0]\n"));
    appends.forEach(line -> out.append(line).append('\n'));
    extra.forEach(line -> out.append(line).append('\n'));
    return out.append("COMMIT\n").toString();
  }

  private static Map<String, IpSet> sets(String file) {
    Map<String, String> creates = new LinkedHashMap<>();
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, List<String>> elements = new LinkedHashMap<>();
    int number = 0;
    for (String line : file.split("\n", -1)) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] words = line.split(" ");
      String where = IPSET_FILE + " line " + number + ": ";
      if (words.length < 3 || !SET_NAME.matcher(words[1]).matches() || words[1].startsWith(TEMP_PREFIX)) {
        throw new IllegalArgumentException(
            where + "only 'create bw-NAME TYPE ...' and 'add bw-NAME ELEMENT' are allowed, not '"
                + RuleFiles.printable(line) + "'");
      }
      String name = words[1];
      if (words[0].equals("create")) {
        if (!SET_TYPES.contains(words[2])) {
          throw new IllegalArgumentException(where + "set type " + RuleFiles.printable(words[2]) + " is not allowed");
        }
        for (int i = 3; i < words.length; i++) {
          if (!OPTION.matcher(words[i]).matches()) {
            throw new IllegalArgumentException(where + "bad option '" + RuleFiles.printable(words[i]) + "'");
          }
        }
        if (creates.put(name, line) != null) {
          throw new IllegalArgumentException(where + "set " + name + " is created twice");
        }
        types.put(name, words[2]);
        elements.put(name, new ArrayList<>());
      } else if (words[0].equals("add") && words.length == 3) {
        if (!creates.containsKey(name)) {
          throw new IllegalArgumentException(where + "set " + name + " is not created before it is filled");
        }
        if (!ELEMENT.matcher(words[2]).matches()) {
          throw new IllegalArgumentException(where + "bad element '" + RuleFiles.printable(words[2]) + "'");
        }
        elements.get(name).add(words[2]);
      } else {
        throw new IllegalArgumentException(
            where + "only 'create' and 'add' lines are allowed, not '" + RuleFiles.printable(line) + "'");
      }
    }
    Map<String, IpSet> sets = new LinkedHashMap<>();
    creates.forEach((name, create) -> sets.put(name, new IpSet(name, types.get(name), create, elements.get(name))));
    return sets;
  }

  private static List<String> chains(String fileName, String file, Map<String, IpSet> sets) {
    List<String> lines = new ArrayList<>();
    for (String line : file.split("\n", -1)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        lines.add(line);
      }
    }
    if (lines.size() < 2 || !lines.get(0).equals("*filter") || !lines.get(lines.size() - 1).equals("COMMIT")) {
      throw new IllegalArgumentException(fileName + ": must be one '*filter' table ending in 'COMMIT'");
    }
    List<String> declared = new ArrayList<>();
    List<String> appends = new ArrayList<>();
    for (String line : lines.subList(1, lines.size() - 1)) {
      Matcher declaration = CHAIN_DECLARATION.matcher(line);
      if (declaration.matches()) {
        declared.add(declaration.group(1));
        continue;
      }
      Optional<String> problem = ruleProblem(line, sets);
      if (problem.isPresent()) {
        throw new IllegalArgumentException(fileName + ": " + problem.get());
      }
      appends.add(line);
    }
    if (declared.size() != CHAINS.size() || !Set.copyOf(declared).equals(Set.copyOf(CHAINS))) {
      throw new IllegalArgumentException(fileName + ": must declare exactly the chains " + CHAINS);
    }
    return appends;
  }

  private static Optional<String> ruleProblem(String line, Map<String, IpSet> sets) {
    Matcher append = APPEND.matcher(line);
    if (!append.matches()) {
      return Optional.of("only '-A BULWARK-INPUT|FORWARD|OUTPUT ...' rules are allowed, not '"
          + RuleFiles.printable(line) + "'");
    }
    String rule = append.group(2);
    if (!RULE_TEXT.matcher(rule).matches()) {
      return Optional.of("rule has characters that are not allowed: '" + RuleFiles.printable(line) + "'");
    }
    Matcher target = TARGET.matcher(rule);
    int targets = 0;
    while (target.find()) {
      targets++;
      if (!TARGETS.contains(target.group(1))) {
        return Optional.of("jump target " + RuleFiles.printable(target.group(1)) + " is not allowed, only " + TARGETS);
      }
    }
    if (targets != 1) {
      return Optional.of("each rule needs exactly one jump target: '" + RuleFiles.printable(line) + "'");
    }
    Matcher matchSet = MATCH_SET.matcher(rule);
    while (matchSet.find()) {
      if (!sets.containsKey(matchSet.group(1))) {
        return Optional.of("rule matches set " + RuleFiles.printable(matchSet.group(1))
            + ", which " + IPSET_FILE + " does not create");
      }
    }
    return Optional.empty();
  }
}
