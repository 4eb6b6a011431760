package io.bulwark.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.controller.testing.TestDatabases;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcStatusSequencesTest {
  private Database db;
  private JdbcStatusSequences sequences;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    new JdbcDeviceStore(db.jdbi()).upsertEnrolled("web-1", "nftables", List.of(), Instant.parse("2026-05-12T10:00:00Z"));
    sequences = new JdbcStatusSequences(db.jdbi());
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void advance_raisesTheLastSequence_neverLowersIt_andResetForgetsIt() {
    assertEquals(0, sequences.last("web-1"));
    sequences.advance("web-1", 3);
    sequences.advance("web-1", 7);
    sequences.advance("web-1", 5);
    assertEquals(7, sequences.last("web-1"));

    sequences.reset("web-1");

    assertEquals(0, sequences.last("web-1"));
  }
}
