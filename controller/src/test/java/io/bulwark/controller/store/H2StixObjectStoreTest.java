package io.bulwark.controller.store;

/** The object store contract on a fresh embedded H2 database per test. */
class H2StixObjectStoreTest extends StixObjectStoreContract {
  @Override
  protected boolean onPostgres() {
    return false;
  }
}
