package io.bulwark.controller.store;

/** The store contract on a fresh embedded H2 database per test. */
class H2StoreTest extends StoreContract {
  @Override
  protected boolean onPostgres() {
    return false;
  }
}
