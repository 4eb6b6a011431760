package io.bulwark.controller.store;

import io.bulwark.controller.testing.TestDatabases;

/** {@link CountermeasureSetsMigrationTest} on PostgreSQL, in a schema of its own. */
class CountermeasureSetsMigrationPostgresIT extends CountermeasureSetsMigrationTest {
  private final String schema = TestDatabases.newSchemaName();

  @Override
  String url() {
    TestDatabases.createPostgresSchema(schema);
    return TestDatabases.pgUrl() + (TestDatabases.pgUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  @Override
  String schema() {
    return schema;
  }

  @Override
  void dropDatabase() {
    TestDatabases.dropPostgresSchema(schema);
  }
}
