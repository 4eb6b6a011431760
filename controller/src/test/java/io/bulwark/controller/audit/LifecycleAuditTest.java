package io.bulwark.controller.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.controller.domain.AuditEntry;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.DeviceException;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcAuditLog;
import io.bulwark.controller.store.JdbcCountermeasureStore;
import io.bulwark.controller.store.JdbcExceptionStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LifecycleAuditTest {
  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private Database db;
  private JdbcCountermeasureStore countermeasures;
  private JdbcAuditLog audit;
  private LifecycleAudit lifecycle;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    countermeasures = new JdbcCountermeasureStore(db.jdbi());
    audit = new JdbcAuditLog(db.jdbi(), clock);
    lifecycle = new LifecycleAudit(db.jdbi(), audit, clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void start_expiry_andExceptionExpiry_areEachRecordedOnce_whenTheyHappen() {
    Instant now = clock.instant();
    long scheduled = add(now, now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(3)), Countermeasure.Status.ACTIVE);
    long immediate = add(now, now, null, Countermeasure.Status.ACTIVE);
    add(now, now, now.plus(Duration.ofHours(2)), Countermeasure.Status.WITHDRAWN);
    new JdbcExceptionStore(db.jdbi()).add(new DeviceException(0, immediate, "web-3", "vendor box", "bob", now,
        now.plus(Duration.ofMinutes(90))));

    assertEquals(List.of(), lifecycle.record(), "nothing happened yet");
    clock.advance(Duration.ofHours(1));
    assertEquals(List.of("countermeasure.start"), lifecycle.record());
    assertEquals(List.of(), lifecycle.record(), "recorded once");
    clock.advance(Duration.ofHours(3));
    assertEquals(List.of("countermeasure.expire", "exception.expire"), lifecycle.record());
    assertEquals(List.of(), lifecycle.record());

    List<AuditEntry> entries = audit.list(0, 100);
    assertEquals(List.of("countermeasure " + scheduled, "countermeasure " + scheduled, "web-3"),
        entries.stream().map(AuditEntry::subject).toList());
    assertEquals("came into force at 2026-12-04T11:00:00Z as scheduled", entries.get(0).details());
    assertEquals("expired at 2026-12-04T13:00:00Z; its rules leave the devices at their next generation",
        entries.get(1).details());
    assertEquals("the exception from countermeasure " + immediate + " expired at 2026-12-04T11:30:00Z; the device gets it"
        + " at its next generation", entries.get(2).details());
  }

  private long add(Instant created, Instant starts, Instant expires, Countermeasure.Status status) {
    return countermeasures.add(Countermeasure.proposed(List.of("indicator--1"), Countermeasure.Action.BLOCK,
        Scope.parse("all"), created, expires, "alice", "", status).startingAt(starts)).id();
  }
}
