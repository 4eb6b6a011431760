package io.bulwark.controller.store;

/** The store contract on the PostgreSQL server, in a fresh schema per test. */
class PostgresStoreIT extends StoreContract {
  @Override
  protected boolean onPostgres() {
    return true;
  }
}
