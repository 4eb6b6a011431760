package io.bulwark.agent.apply;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses rule sets that would reach beyond {@code table inet bulwark}.
 *
 * <p>The controller is trusted to send rules for this device, but not to rewrite the host's
 * firewall: a compromised controller must not be able to {@code flush ruleset}, touch another table
 * or pull in a file with {@code include}. Only one {@code table inet bulwark { ... }} may appear at
 * top level, and no statement anywhere may be {@code include} or a variable definition. Pure and
 * thread-safe.
 */
public final class NftRulesetGuard {

  /** The only table the agent touches. */
  public static final String TABLE = "table inet bulwark";

  private static final Set<String> FORBIDDEN = Set.of("include", "define", "redefine", "undefine");

  private NftRulesetGuard() {}

  /**
   * Checks {@code rules}.
   *
   * @return empty when the rules only define {@code table inet bulwark}, otherwise the reason
   */
  public static Optional<String> check(String rules) {
    List<NftScanner.Node> nodes;
    try {
      nodes = NftScanner.scan(rules);
    } catch (NftTextException e) {
      return Optional.of("cannot parse the rule set: " + e.getMessage());
    }
    int tables = 0;
    for (NftScanner.Node node : nodes) {
      if (node instanceof NftScanner.Statement statement) {
        return Optional.of(
            "only '"
                + TABLE
                + " { ... }' is allowed at top level, found '"
                + statement.text()
                + "' on line "
                + statement.line());
      }
      NftScanner.Block block = (NftScanner.Block) node;
      if (!block.header().equals(TABLE)) {
        return Optional.of(
            "only "
                + TABLE
                + " may be defined, found '"
                + block.header()
                + "' on line "
                + block.line());
      }
      if (++tables > 1) {
        return Optional.of(TABLE + " is defined a second time on line " + block.line());
      }
      Optional<String> forbidden = forbidden(block.children());
      if (forbidden.isPresent()) {
        return forbidden;
      }
    }
    return tables == 0 ? Optional.of("the rule set does not define " + TABLE) : Optional.empty();
  }

  private static Optional<String> forbidden(List<NftScanner.Node> nodes) {
    for (NftScanner.Node node : nodes) {
      String text =
          node instanceof NftScanner.Statement statement
              ? statement.text()
              : ((NftScanner.Block) node).header();
      String first = text.split(" ", 2)[0];
      if (FORBIDDEN.contains(first)) {
        return Optional.of("'" + first + "' is not allowed (line " + node.line() + ")");
      }
      if (node instanceof NftScanner.Block block) {
        Optional<String> inner = forbidden(block.children());
        if (inner.isPresent()) {
          return inner;
        }
      }
    }
    return Optional.empty();
  }
}
