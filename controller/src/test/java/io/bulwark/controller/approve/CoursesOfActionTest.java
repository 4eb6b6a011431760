package io.bulwark.controller.approve;

import static io.bulwark.rules.testing.StixFixtures.domainObject;
import static io.bulwark.rules.testing.StixFixtures.indicator;
import static io.bulwark.rules.testing.StixFixtures.indicatorId;
import static io.bulwark.rules.testing.StixFixtures.objectId;
import static io.bulwark.rules.testing.StixFixtures.relationship;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.ingest.AllowlistCheck;
import io.bulwark.controller.ingest.BundleIngestor;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.store.JdbcStixObjectStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.testing.StixFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CoursesOfActionTest {
  private static final String COA = objectId("course-of-action", 1);
  private static final String MALWARE = objectId("malware", 1);
  private Database db;
  private CoursesOfAction courses;
  private BundleIngestor ingestor;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    var clock = MutableClock.at("2026-12-04T10:00:00Z");
    var indicators = new JdbcIndicatorStore(db.jdbi(), clock);
    var objects = new JdbcStixObjectStore(db.jdbi(), clock);
    ingestor = new BundleIngestor(indicators, objects, BundleIngestor.Hook.NONE, AllowlistCheck.NONE);
    courses = new CoursesOfAction(objects, indicators);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void course_coversIndicatorsOfWhatItMitigates_andThoseLinkedToItDirectly() {
    ingest(domainObject("course-of-action", 1, "Block the C2"),
        domainObject("malware", 1, "Poison Ivy"),
        relationship(1, "mitigates", COA, MALWARE),
        indicator(1, "[ipv4-addr:value = '198.51.100.1']"),
        indicator(2, "[domain-name:value = 'c2.example']"),
        indicator(3, "[ipv4-addr:value = '198.51.100.3']"),
        indicator(4, "[ipv4-addr:value = '198.51.100.4']"),
        relationship(2, "indicates", indicatorId(1), MALWARE),
        relationship(3, "indicates", indicatorId(2), MALWARE),
        relationship(4, "related-to", indicatorId(3), COA),
        // Not stored: referenced only.
        relationship(5, "indicates", indicatorId(9), MALWARE));

    var expansion = courses.expand(List.of(indicatorId(4), COA));

    List<String> expected = new ArrayList<>(List.of(indicatorId(1), indicatorId(2), indicatorId(3)));
    expected.sort(null);
    expected.add(0, indicatorId(4));
    assertEquals(expected, expansion.ids());
    assertEquals(Map.of(COA, new CoursesOfAction.Covered("Block the C2", expected.subList(1, 4))), expansion.courses());
    assertEquals("course-of-action " + COA + " 'Block the C2' (3 indicators)", expansion.describe());
  }

  @Test
  void onlyMitigatesAndRemediates_reachThroughToIndicators() {
    String campaign = objectId("campaign", 1);
    ingest(domainObject("course-of-action", 1, "x"), domainObject("campaign", 1, "c"),
        relationship(1, "investigates", COA, campaign),
        indicator(1, "[ipv4-addr:value = '198.51.100.1']"),
        relationship(2, "indicates", indicatorId(1), campaign),
        indicator(2, "[ipv4-addr:value = '198.51.100.2']"),
        relationship(3, "investigates", COA, indicatorId(2)));

    assertEquals(List.of(indicatorId(2)), courses.expand(List.of(COA)).ids());
  }

  @Test
  void unknownCourse_andCourseWithoutIndicators_areRefusedByName() {
    ingest(domainObject("course-of-action", 1, "lonely"), indicator(1, "[ipv4-addr:value = '198.51.100.1']"));
    String unknown = objectId("course-of-action", 2);

    var missing = assertThrows(InvalidRequestException.class, () -> courses.expand(List.of(unknown)));
    var empty = assertThrows(InvalidRequestException.class, () -> courses.expand(List.of(COA)));

    assertEquals("no course-of-action with id " + unknown + " (ingest the bundle that holds it first)",
        missing.getMessage());
    assertEquals("course-of-action " + COA + " covers no stored indicator: none is linked to it or to what it"
        + " mitigates or remediates", empty.getMessage());
  }

  @Test
  void idsWithoutCourses_passThroughUnchanged() {
    var expansion = courses.expand(List.of(indicatorId(2), indicatorId(1)));

    assertEquals(List.of(indicatorId(2), indicatorId(1)), expansion.ids());
    assertEquals("", expansion.describe());
  }

  @Test
  void controlCharactersInTheName_areNotCarriedOn() {
    ingest(domainObject("course-of-action", 1, "evil\u001b[2J\nname"),
        indicator(1, "[ipv4-addr:value = '198.51.100.1']"),
        relationship(1, "related-to", indicatorId(1), COA));

    assertEquals("evil [2J name", courses.expand(List.of(COA)).courses().get(COA).name());
  }

  @Test
  void revokedLinks_andARevokedCourse_coverNothing() {
    ingest(domainObject("course-of-action", 1, "x"),
        indicator(1, "[ipv4-addr:value = '198.51.100.1']"),
        indicator(2, "[ipv4-addr:value = '198.51.100.2']"),
        relationship(1, "related-to", indicatorId(1), COA),
        relationship(2, "related-to", indicatorId(2), COA).replace("\"modified\":\"" + StixFixtures.TIMESTAMP,
            "\"revoked\":true,\"modified\":\"" + StixFixtures.TIMESTAMP));

    assertEquals(List.of(indicatorId(1)), courses.expand(List.of(COA)).ids());

    ingest(domainObject("course-of-action", 1, "x").replace("\"modified\":\"" + StixFixtures.TIMESTAMP,
        "\"revoked\":true,\"modified\":\"2018-01-01T00:00:00.000Z"));
    var e = assertThrows(InvalidRequestException.class, () -> courses.expand(List.of(COA)));
    assertEquals("course-of-action " + COA + " was revoked by its producer", e.getMessage());
  }

  private void ingest(String... objects) {
    var report = ingestor.ingest(StixFixtures.stream(StixFixtures.bundleOfJson(List.of(objects))), "test");
    assertEquals(List.of(), report.rejected());
  }
}
