package io.bulwark.controller.store;

/** The object store contract on the PostgreSQL server, in a fresh schema per test. */
class PostgresStixObjectStoreIT extends StixObjectStoreContract {
  @Override
  protected boolean onPostgres() {
    return true;
  }
}
