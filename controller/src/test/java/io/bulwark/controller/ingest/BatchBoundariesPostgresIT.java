package io.bulwark.controller.ingest;

import io.bulwark.controller.store.Database;
import io.bulwark.controller.testing.TestDatabases;

/** {@link BatchBoundariesTest} on PostgreSQL, where the rows go in with COPY. */
class BatchBoundariesPostgresIT extends BatchBoundariesTest {
  private final String schema = TestDatabases.newSchemaName();

  @Override
  Database database() {
    return TestDatabases.freshPostgres(schema);
  }

  @Override
  void dropDatabase() {
    TestDatabases.dropPostgresSchema(schema);
  }
}
