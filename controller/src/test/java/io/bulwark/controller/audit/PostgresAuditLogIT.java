package io.bulwark.controller.audit;

class PostgresAuditLogIT extends AuditLogContract {
  @Override
  protected boolean onPostgres() {
    return true;
  }
}
