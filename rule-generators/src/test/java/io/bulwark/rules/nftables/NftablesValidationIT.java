package io.bulwark.rules.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bulwark.rules.testing.GoldenCase;
import io.bulwark.rules.testing.NetnsFixture;
import io.bulwark.rules.testing.NetnsFixture.CommandResult;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds every golden output to the real {@code nft}, each in a fresh network namespace: it must
 * pass {@code nft -c}, load, and list back as {@code nft -s list table inet bulwark} byte for byte
 * but for the wrapping of element lists (nft puts two IPv4 prefixes or five ports on a line, the
 * generator one element).
 * Skipped, with the reason, where namespaces or nft are not available.
 */
class NftablesValidationIT {

  @BeforeAll
  static void requireNetns() {
    Optional<String> reason = NetnsFixture.unavailableReason();
    assumeTrue(reason.isEmpty(), () -> "skipping nft validation: " + reason.orElse(""));
  }

  static Stream<GoldenCase> cases() {
    return GoldenCase.all(NftablesGenerator.ID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void nftCheck_goldenOutput_isAccepted(GoldenCase golden) {
    try (NetnsFixture netns = NetnsFixture.create()) {
      CommandResult check = netns.execWithInput(golden.expected(), "nft", "-c", "-f", "-");
      assertTrue(check.ok(), () -> "nft -c rejected " + golden + ":\n" + check.stderr());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void nftList_loadedGoldenOutput_printsBackTheSameText(GoldenCase golden) {
    try (NetnsFixture netns = NetnsFixture.create()) {
      CommandResult load = netns.execWithInput(golden.expected(), "nft", "-f", "-");
      assertTrue(load.ok(), () -> "nft -f rejected " + golden + ":\n" + load.stderr());
      CommandResult list = netns.exec("nft", "-s", "list", "table", "inet", "bulwark");
      assertTrue(list.ok(), () -> "nft list failed:\n" + list.stderr());
      assertEquals(joinedElements(golden.expected()), joinedElements(list.stdout()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void nftReplace_goldenOutputOverAnother_loadsAtomically(GoldenCase golden) {
    try (NetnsFixture netns = NetnsFixture.create()) {
      String previous =
          GoldenCase.all(NftablesGenerator.ID)
              .filter(c -> !c.name().equals(golden.name()))
              .findFirst()
              .orElseThrow()
              .expected();
      assertTrue(netns.execWithInput(previous, "nft", "-f", "-").ok());
      // The idiom an agent wraps around the generated table: create, delete, recreate, in one
      // transaction, so it works whether or not the table exists.
      String transaction = "table inet bulwark {}\ndelete table inet bulwark\n" + golden.expected();
      CommandResult load = netns.execWithInput(transaction, "nft", "-f", "-");
      assertTrue(load.ok(), () -> "replacing failed for " + golden + ":\n" + load.stderr());
      CommandResult list = netns.exec("nft", "-s", "list", "table", "inet", "bulwark");
      assertEquals(joinedElements(golden.expected()), joinedElements(list.stdout()));
    }
  }

  /** {@code table} with every element list on one line: the text up to how lists are wrapped. */
  static String joinedElements(String table) {
    Matcher lists = ELEMENT_LIST.matcher(table);
    StringBuilder joined = new StringBuilder();
    while (lists.find()) {
      String elements = String.join(", ", lists.group(1).split(",\\s*"));
      lists.appendReplacement(joined, Matcher.quoteReplacement("elements = { " + elements + " }"));
    }
    return lists.appendTail(joined).toString();
  }

  private static final Pattern ELEMENT_LIST = Pattern.compile("elements = \\{ ([^}]*?) \\}");
}
