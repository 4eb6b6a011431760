package io.bulwark.controller.audit;

class H2AuditLogTest extends AuditLogContract {
  @Override
  protected boolean onPostgres() {
    return false;
  }
}
