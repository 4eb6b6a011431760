package io.bulwark.controller.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.cli.AdminClient;
import io.bulwark.controller.testing.StrictTests;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet bench's controller on PostgreSQL: its own schema, and nothing left behind. */
class BenchSchemaIT {

  @TempDir Path dir;

  @Test
  void aControllerOnABenchSchema_keepsItsTablesThere_andTheSchemaIsDroppedAfterwards() throws Exception {
    Path jar = Path.of(System.getProperty("bulwark.controller.jar", "missing"));
    assertTrue(Files.isRegularFile(jar), "bulwark.controller.jar not built: " + jar);
    String url = TestDatabases.pgUrl();
    try (var c = DriverManager.getConnection(url)) {
      c.isValid(1);
    } catch (SQLException e) {
      StrictTests.skipOrFail("PostgreSQL is not reachable at " + url + ": " + e.getMessage());
    }
    BenchSchema schema = BenchSchema.create(url, "bulwark_fleet");
    try (schema;
        ControllerProcess controller = new ControllerProcess(jar, dir.resolve("controller"), "256m",
            List.of("--db-url", schema.url()))) {
      controller.start(Duration.ofSeconds(60));
      try (AdminClient admin = AdminClient.open(controller.dataDir())) {
        admin.stub().createEnrollmentToken(
            CreateEnrollmentTokenRequest.newBuilder().setDevice("fleet-0001").setTarget("nftables").build());
      }
      assertEquals(1, count(url, "SELECT COUNT(*) FROM " + schema.name() + ".enrollment_tokens"),
          "the token is stored in the bench's schema");
    }
    assertEquals(0, count(url, "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '"
        + schema.name() + "'"), "the schema is dropped");
  }

  private static long count(String url, String sql) throws SQLException {
    try (var c = DriverManager.getConnection(url); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
