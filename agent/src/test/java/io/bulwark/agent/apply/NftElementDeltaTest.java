package io.bulwark.agent.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NftElementDeltaTest {

  private static String table(String flags, String v4, String ports) {
    return "table inet bulwark {\n"
        + "\tset cm1_v4 {\n"
        + "\t\ttype ipv4_addr\n"
        + flags
        + "\t\telements = { " + v4 + " }\n"
        + "\t}\n\n"
        + "\tset cm1_tcp {\n"
        + "\t\ttype inet_service\n"
        + "\t\telements = { " + ports + " }\n"
        + "\t}\n\n"
        + "\tchain input {\n"
        + "\t\ttype filter hook input priority filter - 10; policy accept;\n"
        + "\t\tip saddr @cm1_v4 counter drop comment \"cm1\"\n"
        + "\t\ttcp dport @cm1_tcp counter drop comment \"cm1\"\n"
        + "\t}\n"
        + "}\n";
  }

  private static List<String> elements(NftElementLists lists, int index) {
    List<String> out = new ArrayList<>();
    lists.forEach(lists.lists().get(index), (text, from, to) -> out.add(text.substring(from, to)));
    return out;
  }

  @Test
  void lists_findEverySet_countTheirElements_andTrimWrappedLines() {
    NftElementLists lists =
        NftElementLists.of(table("\t\tflags interval\n", "10.0.0.1, 10.0.0.2,\n\t\t\t     10.0.0.0/24", "445"));

    assertNotNull(lists);
    assertEquals(2, lists.lists().size());
    assertEquals("cm1_v4", lists.lists().get(0).set());
    assertTrue(lists.lists().get(0).interval());
    assertEquals("cm1_tcp", lists.lists().get(1).set());
    assertEquals(false, lists.lists().get(1).interval());
    assertEquals(List.of("10.0.0.1", "10.0.0.2", "10.0.0.0/24"), elements(lists, 0));
    assertEquals(4, lists.elementCount());
    assertTrue(lists.skeleton().contains("elements = {}"), lists.skeleton());
    assertTrue(lists.skeleton().contains("tcp dport @cm1_tcp"), lists.skeleton());
  }

  @Test
  void lists_refuseElementListsThatCouldHideAStatement() {
    assertNull(NftElementLists.of(table("", "10.0.0.1; flush ruleset", "445")));
    assertNull(NftElementLists.of(table("", "10.0.0.1 comment \"x\"", "445")));
    assertNull(NftElementLists.of(table("", "10.0.0.1 # note", "445")));
  }

  @Test
  void skeletons_areEqual_exactlyWhenOnlyElementsDiffer() {
    NftElementLists a = NftElementLists.of(table("", "10.0.0.1, 10.0.0.2", "445"));
    NftElementLists b = NftElementLists.of(table("", "10.0.0.3", "22, 445"));
    NftElementLists c = NftElementLists.of(table("", "10.0.0.1", "445").replace("counter drop", "drop"));

    assertEquals(a.skeleton(), b.skeleton());
    assertTrue(!a.skeleton().equals(c.skeleton()));
    assertNull(NftElementDelta.between(a, c, 100));
  }

  @Test
  void between_deletesFirst_thenAdds_onlyWhatChanged_perSet() {
    NftElementLists from = NftElementLists.of(table("", "10.0.0.1, 10.0.0.2,\n\t\t\t     10.0.0.3", "445"));
    // Wrapping moves elements between lines; only membership counts.
    NftElementLists to = NftElementLists.of(table("", "10.0.0.2,\n\t\t\t     10.0.0.3, 10.0.0.4", "22, 445"));

    NftElementDelta.Change change = NftElementDelta.between(from, to, 100);

    assertEquals(
        "delete element inet bulwark cm1_v4 { 10.0.0.1 }\n"
            + "add element inet bulwark cm1_v4 { 10.0.0.4 }\n"
            + "add element inet bulwark cm1_tcp { 22 }\n",
        change.script());
    assertEquals(2, change.added());
    assertEquals(1, change.deleted());
  }

  @Test
  void between_sameElements_isAnEmptyScript() {
    NftElementLists a = NftElementLists.of(table("", "10.0.0.1, 10.0.0.2", "445"));
    NftElementLists b = NftElementLists.of(table("", "10.0.0.1,\n\t\t\t     10.0.0.2", "445"));

    NftElementDelta.Change change = NftElementDelta.between(a, b, 100);

    assertEquals("", change.script());
    assertEquals(0, change.added() + change.deleted());
  }

  @Test
  void between_givesUp_onAChangedIntervalSet_orTooManyChanges() {
    NftElementLists a = NftElementLists.of(table("\t\tflags interval\n", "10.0.0.1", "445"));
    NftElementLists b = NftElementLists.of(table("\t\tflags interval\n", "10.0.0.2", "445"));
    NftElementLists portsOnly = NftElementLists.of(table("\t\tflags interval\n", "10.0.0.1", "22"));
    NftElementLists many = NftElementLists.of(table("", "10.0.0.5, 10.0.0.6, 10.0.0.7", "445"));
    NftElementLists few = NftElementLists.of(table("", "10.0.0.1", "445"));

    assertNull(NftElementDelta.between(a, b, 100));
    // An interval set that does not change does not stand in the way.
    assertEquals("delete element inet bulwark cm1_tcp { 445 }\nadd element inet bulwark cm1_tcp { 22 }\n",
        NftElementDelta.between(a, portsOnly, 100).script());
    assertNull(NftElementDelta.between(few, many, 3));
    assertNotNull(NftElementDelta.between(few, many, 4));
  }

  @Test
  void largeTable_ofOurs_isCutFromARulesetListing() {
    String ruleset = "table ip other {\n\tchain c {\n\t}\n}\n" + table("", "", "445").replace("elements = {  }\n", "");

    String ours = NftLargeTable.ourTable(ruleset).orElseThrow();

    assertTrue(ours.startsWith("table inet bulwark {\n"), ours);
    assertTrue(ours.endsWith("}\n"), ours);
    assertTrue(!ours.contains("table ip other"), ours);
    assertTrue(NftLargeTable.ourTable("table ip other {\n}\n").isEmpty());
  }
}
