package io.bulwark.rules.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.testing.ExternalTool;
import io.bulwark.rules.testing.GoldenCase;
import io.bulwark.rules.testing.NetnsFixture;
import io.bulwark.rules.testing.NetnsFixture.CommandResult;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loads every golden rule set with the real {@code ipset restore} and {@code iptables-restore} /
 * {@code ip6tables-restore} (Debian packages ipset and iptables), each in a fresh network
 * namespace.
 */
class IptablesValidationIT {

  @BeforeEach
  void requireTools() {
    Optional<String> reason = NetnsFixture.unavailableReason();
    if (reason.isPresent()) {
      ExternalTool.skipOrFail("skipping iptables validation: " + reason.get());
    }
    ExternalTool.require("ipset", "ipset", "version");
    ExternalTool.require("iptables", "iptables-restore", "--version");
  }

  static Stream<GoldenCase> cases() {
    return GoldenCase.all(IptablesGenerator.ID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void restoreTest_goldenFiles_areAccepted(GoldenCase golden) {
    GenerationResult.Rules rules = generate(golden);
    try (NetnsFixture netns = NetnsFixture.create()) {
      restoreSets(netns, rules);
      for (String[] tool : tools()) {
        CommandResult test = netns.execWithInput(rules.files().get(tool[0]), tool[1], "--test");
        assertTrue(test.ok(), () -> tool[1] + " --test rejected " + golden + ":\n" + test.stderr());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void restoreNoflush_goldenFiles_loadEveryRuleIntoOwnChains(GoldenCase golden) {
    GenerationResult.Rules rules = generate(golden);
    try (NetnsFixture netns = NetnsFixture.create()) {
      restoreSets(netns, rules);
      for (String[] tool : tools()) {
        String file = rules.files().get(tool[0]);
        // Twice: reloading replaces the chains' rules instead of appending to them.
        for (int i = 0; i < 2; i++) {
          CommandResult load = netns.execWithInput(file, tool[1], "--noflush");
          assertTrue(load.ok(), () -> tool[1] + " rejected " + golden + ":\n" + load.stderr());
        }
        String save = tool[1].replace("-restore", "-save");
        CommandResult saved = netns.exec(save, "-t", "filter");
        long expected = file.lines().filter(line -> line.startsWith("-A ")).count();
        long loaded = saved.stdout().lines().filter(line -> line.startsWith("-A BULWARK-")).count();
        assertEquals(expected, loaded, saved.stdout());
      }
    }
  }

  @Test
  void ipsetTest_loadedSet_holdsExactlyTheNormalisedPrefixes() {
    GoldenCase golden =
        cases().filter(c -> c.name().equals("v4-v6-ports")).findFirst().orElseThrow();
    try (NetnsFixture netns = NetnsFixture.create()) {
      restoreSets(netns, generate(golden));
      assertTrue(netns.exec("ipset", "test", "bw-cm3-v4", "198.51.100.77").ok());
      assertTrue(netns.exec("ipset", "test", "bw-cm3-v6", "2001:db8::1").ok());
      assertTrue(netns.exec("ipset", "test", "bw-cm3-tcp", "445").ok());
      assertFalse(netns.exec("ipset", "test", "bw-cm3-v4", "198.51.101.1").ok());
      assertFalse(netns.exec("ipset", "test", "bw-cm3-tcp", "446").ok());
    }
  }

  private static void restoreSets(NetnsFixture netns, GenerationResult.Rules rules) {
    String sets = rules.files().get(IptablesGenerator.IPSET_FILE);
    CommandResult restore = netns.execWithInput(sets, "ipset", "restore");
    assertTrue(restore.ok(), () -> "ipset restore rejected:\n" + restore.stderr());
  }

  private static String[][] tools() {
    return new String[][] {
      {IptablesGenerator.IPV4_FILE, "iptables-restore"},
      {IptablesGenerator.IPV6_FILE, "ip6tables-restore"}
    };
  }

  private static GenerationResult.Rules generate(GoldenCase golden) {
    return (GenerationResult.Rules) new IptablesGenerator().generate(golden.input());
  }
}
