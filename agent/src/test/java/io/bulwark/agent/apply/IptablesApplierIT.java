package io.bulwark.agent.apply;

import static io.bulwark.agent.testing.GeneratedRules.block;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.testing.GeneratedRules;
import io.bulwark.agent.testing.Netns;
import io.bulwark.rules.iptables.IptablesGenerator;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The iptables applier against real ipset and iptables-restore, in a fresh network namespace. */
class IptablesApplierIT {

  private static final IptablesGenerator GENERATOR = new IptablesGenerator();
  private static final String FIRST =
      GeneratedRules.text(
          GENERATOR,
          block(1, "198.51.100.0/24", "203.0.113.7", "2001:db8::/32", "tcp/445"),
          block(2, "192.0.2.0/28"));
  private static final String SECOND =
      GeneratedRules.text(GENERATOR, block(1, "198.51.100.0/25", "tcp/139", "tcp/445"));

  @TempDir Path dataDir;
  @TempDir Path tools;

  private Netns netns;
  private IptablesApplier applier;

  @BeforeEach
  void createNamespace() throws Exception {
    Netns.requireTool("ipset", "ipset", "version");
    Netns.requireTool("iptables", "iptables-restore", "--version");
    netns = Netns.create(tools);
    netns.wrappers(
        tools, "ipset", "iptables-restore", "iptables-save", "ip6tables-restore", "ip6tables-save");
    applier = new IptablesApplier(IptablesTools.in(tools), dataDir);
  }

  @AfterEach
  void deleteNamespace() throws Exception {
    if (netns != null) {
      netns.close();
    }
  }

  @Test
  void apply_loadsSetsAndChains_andJumpsToThem() throws Exception {
    ApplyOutcome outcome = applier.apply(FIRST);

    assertEquals(
        new ApplyOutcome.Applied(
            "iptables: 4 sets (5 elements), 10 IPv4 and 6 IPv6 rules in BULWARK chains"),
        outcome);
    assertTrue(in("bw-cm1-v4", "198.51.100.77"));
    assertTrue(in("bw-cm2-v4", "192.0.2.3"));
    assertFalse(in("bw-cm1-v4", "198.51.101.1"));
    String v4 = save("iptables-save");
    assertTrue(v4.contains("-A INPUT -j BULWARK-INPUT\n"), v4);
    assertTrue(v4.contains("-A OUTPUT -j BULWARK-OUTPUT\n"), v4);
    assertTrue(save("ip6tables-save").contains("--match-set bw-cm1-v6 src"));
    assertInstanceOf(LiveState.InSync.class, applier.inspect(FIRST));
  }

  @Test
  void apply_again_swapsContents_dropsUnusedSets_andKeepsOneJump() throws Exception {
    applier.apply(FIRST);

    assertInstanceOf(ApplyOutcome.Applied.class, applier.apply(SECOND));

    assertTrue(in("bw-cm1-v4", "198.51.100.1"));
    assertFalse(in("bw-cm1-v4", "198.51.100.200"), "the old /24 is gone");
    assertTrue(in("bw-cm1-tcp", "139"));
    String sets = netns.exec("ipset", "list", "-n").output();
    assertFalse(sets.contains("bw-cm2"), sets);
    assertFalse(sets.contains("bw-cm1-v6"), sets);
    assertFalse(sets.contains("bw-tmp"), sets);
    String v4 = save("iptables-save");
    assertEquals(1, v4.lines().filter(l -> l.equals("-A INPUT -j BULWARK-INPUT")).count(), v4);
    assertFalse(v4.contains("cm2"), v4);
    assertInstanceOf(LiveState.InSync.class, applier.inspect(SECOND));
  }

  @Test
  void rulesTheToolRejects_failWithItsMessage_andNothingChanges() throws Exception {
    applier.apply(FIRST);
    String before = applier.snapshot().orElseThrow();
    String broken =
        SECOND.replace(
            "-m comment --comment cm1 -j DROP\nCOMMIT", "-m comment --comment cm1 -j LOG --log-level 99\nCOMMIT");

    ApplyOutcome.Failed failed = assertInstanceOf(ApplyOutcome.Failed.class, applier.apply(broken));

    assertTrue(failed.error().startsWith("iptables-restore --test: "), failed.error());
    assertTrue(failed.error().endsWith("; nothing was changed"), failed.error());
    assertEquals(before, applier.snapshot().orElseThrow());
    assertFalse(netns.exec("ipset", "list", "-n").output().contains("bw-tmp"));
  }

  @Test
  void elementIpsetRejects_failsAndNothingChanges() throws Exception {
    applier.apply(FIRST);
    String before = applier.snapshot().orElseThrow();

    ApplyOutcome.Failed failed =
        assertInstanceOf(
            ApplyOutcome.Failed.class,
            applier.apply(SECOND.replace("add bw-cm1-v4 198.51.100.0/25", "add bw-cm1-v4 198.51.100.0/99")));

    assertTrue(failed.error().startsWith("ipset restore: "), failed.error());
    assertEquals(before, applier.snapshot().orElseThrow());
  }

  @Test
  void readBackDifference_afterTheLiveChange_restoresThePreviousRules() throws Exception {
    applier.apply(FIRST);
    String before = applier.snapshot().orElseThrow();
    // iptables-save prints this rule back as "-p tcp -m tcp --dport 22 -j DROP".
    String respelled = SECOND.replaceFirst("COMMIT", "-A BULWARK-INPUT -p tcp --dport 22 -j DROP\nCOMMIT");

    ApplyOutcome.Failed failed = assertInstanceOf(ApplyOutcome.Failed.class, applier.apply(respelled));

    assertTrue(
        failed.error().startsWith("read-back differs: IPv4 BULWARK-INPUT rule 3: expected"
            + " '-A BULWARK-INPUT -p tcp --dport 22 -j DROP'"),
        failed.error());
    assertTrue(failed.error().endsWith("; the previous rules were restored"), failed.error());
    assertEquals(before, applier.snapshot().orElseThrow());
    assertInstanceOf(LiveState.InSync.class, applier.inspect(FIRST));
  }

  @Test
  void refusedRules_neverReachTheTools() throws Exception {
    String escape = SECOND.replace("COMMIT", "-A INPUT -j ACCEPT\nCOMMIT");

    ApplyOutcome.Failed failed = assertInstanceOf(ApplyOutcome.Failed.class, applier.apply(escape));

    assertTrue(failed.error().startsWith("refused: bulwark.iptables: only '-A BULWARK-"), failed.error());
    assertEquals("", applier.snapshot().orElseThrow());
  }

  @Test
  void othersRulesAndSets_areLeftAlone_alsoWhenOursAreRemoved() throws Exception {
    netns.exec("ipset", "create", "theirs", "hash:ip");
    netns.exec("iptables", "-A", "INPUT", "-p", "tcp", "--dport", "22", "-j", "ACCEPT");

    applier.apply(FIRST);
    assertInstanceOf(ApplyOutcome.Applied.class, applier.restore(""));

    assertEquals("theirs\n", netns.exec("ipset", "list", "-n").output());
    String v4 = save("iptables-save");
    assertTrue(v4.contains("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT"), v4);
    assertFalse(v4.contains("BULWARK"), v4);
    assertFalse(save("ip6tables-save").contains("BULWARK"));
  }

  @Test
  void restore_ofASnapshot_putsThePreviousRulesBack() throws Exception {
    applier.apply(FIRST);
    String snapshot = applier.snapshot().orElseThrow();
    applier.apply(SECOND);

    assertInstanceOf(ApplyOutcome.Applied.class, applier.restore(snapshot));

    assertInstanceOf(LiveState.InSync.class, applier.inspect(FIRST));
    assertTrue(in("bw-cm2-v4", "192.0.2.3"));
  }

  @Test
  void inspect_seesElementsAndRulesChangedByHand() throws Exception {
    applier.apply(FIRST);

    netns.exec("ipset", "add", "bw-cm1-v4", "192.0.2.200");
    LiveState.Drifted added = assertInstanceOf(LiveState.Drifted.class, applier.inspect(FIRST));
    assertEquals("set bw-cm1-v4 holds 3 elements, 2 were applied", added.difference());

    netns.exec("ipset", "del", "bw-cm1-v4", "203.0.113.7");
    LiveState.Drifted swapped = assertInstanceOf(LiveState.Drifted.class, applier.inspect(FIRST));
    assertEquals("set bw-cm1-v4 lacks 203.0.113.7", swapped.difference());

    netns.exec("ipset", "add", "bw-cm1-v4", "203.0.113.7");
    netns.exec("ipset", "del", "bw-cm1-v4", "192.0.2.200");
    assertInstanceOf(LiveState.InSync.class, applier.inspect(FIRST));

    netns.exec("iptables", "-D", "INPUT", "-j", "BULWARK-INPUT");
    LiveState.Drifted jump = assertInstanceOf(LiveState.Drifted.class, applier.inspect(FIRST));
    assertEquals("IPv4 chain INPUT no longer jumps to BULWARK-INPUT", jump.difference());

    assertInstanceOf(ApplyOutcome.Applied.class, applier.apply(FIRST), "re-applying corrects it");
    netns.exec("ip6tables", "-A", "BULWARK-OUTPUT", "-j", "ACCEPT");
    LiveState.Drifted rule = assertInstanceOf(LiveState.Drifted.class, applier.inspect(FIRST));
    assertEquals(
        "IPv6 BULWARK-OUTPUT rule 2 is not in the applied rules: '-A BULWARK-OUTPUT -j ACCEPT'",
        rule.difference());
  }

  @Test
  void largeSets_areComparedByCountsAndSamples() throws Exception {
    String large =
        GeneratedRules.text(GENERATOR, block(7, GeneratedRules.addresses(20_000)));
    assertInstanceOf(ApplyOutcome.Applied.class, applier.apply(large));
    assertInstanceOf(LiveState.InSync.class, applier.inspect(large));

    netns.exec("ipset", "del", "bw-cm7-v4", "10.0.39.1");

    LiveState.Drifted drifted = assertInstanceOf(LiveState.Drifted.class, applier.inspect(large));
    assertEquals("set bw-cm7-v4 holds 19999 elements, 20000 were applied", drifted.difference());
  }

  private boolean in(String set, String element) throws Exception {
    return netns.exec("ipset", "test", set, element).exitCode() == 0;
  }

  private String save(String tool) throws Exception {
    return netns.exec(tool, "-t", "filter").output();
  }
}
