package io.bulwark.controller.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.approve.ApprovalPolicy;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ScopeTest {

  @ParameterizedTest(name = "{0} covers {1}: {3}")
  @CsvSource(delimiter = '|', value = {
    "all,-device:db-1        | web-1 | perimeter | true",
    "all,-device:db-1        | db-1  | perimeter | false",
    "tag:perimeter,-tag:lab  | fw-1  | perimeter | true",
    "tag:perimeter,-tag:lab  | fw-2  | perimeter lab | false",
    "tag:perimeter,device:x,-device:fw-3 | x | '' | true",
    "tag:perimeter,device:x,-device:fw-3 | fw-3 | perimeter | false"
  })
  void exclusions_takeDevicesOut(String scope, String device, String tags, boolean covered) {
    List<String> tagList = tags.isBlank() ? List.of() : List.of(tags.split(" "));

    assertEquals(covered, Scope.parse(scope).covers(device, tagList));
  }

  @Test
  void writtenForm_roundTrips_withExclusionsLast() {
    Scope s = Scope.parse("-device:db-1, all, -tag:lab");

    assertEquals("all,-device:db-1,-tag:lab", s.text());
    assertEquals(s, Scope.parse(s.text()));
  }

  @Test
  void onlyExclusions_orExcludingAll_isRefused() {
    var onlyOut = assertThrows(InvalidRequestException.class, () -> Scope.parse("-device:db-1"));
    var allOut = assertThrows(InvalidRequestException.class, () -> Scope.parse("tag:x,-all"));

    assertEquals("scope '-device:db-1' only excludes: name the devices it covers first, for example"
        + " 'all,-device:db-1'", onlyOut.getMessage());
    assertEquals("scope 'tag:x,-all' excludes every device ('-all')", allOut.getMessage());
    assertTrue(assertThrows(InvalidRequestException.class, () -> Scope.parse("all,-bogus:x")).getMessage()
        .contains("'-tag:NAME' or '-device:NAME'"));
  }

  @Test
  void allWithExclusions_stillNeedsTheSecondApproverThatAllNeeds() {
    var policy = new ApprovalPolicy(true, -1);

    assertTrue(policy.needsSecondApprover(Scope.parse("all,-device:db-1"), 1));
    assertFalse(policy.needsSecondApprover(Scope.parse("tag:web,-device:db-1"), 1));
  }
}
