package io.bulwark.controller.store;

import io.bulwark.controller.domain.DeviceException;
import io.bulwark.controller.domain.ExceptionStore;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** {@link ExceptionStore} over JDBC. */
public final class JdbcExceptionStore implements ExceptionStore {
  private final Jdbi jdbi;

  public JdbcExceptionStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public DeviceException add(DeviceException e) {
    long id = jdbi.withHandle(h -> h.createUpdate(
            "INSERT INTO device_exceptions (countermeasure_id, device, reason, approved_by, created_at, expires_at)"
                + " VALUES (:c, :d, :r, :by, :created, :expires)")
        .bind("c", e.countermeasureId()).bind("d", e.device()).bind("r", e.reason()).bind("by", e.approvedBy())
        .bind("created", e.createdAt().toEpochMilli()).bind("expires", e.expiresAt().toEpochMilli())
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    return new DeviceException(id, e.countermeasureId(), e.device(), e.reason(), e.approvedBy(), e.createdAt(), e.expiresAt());
  }

  @Override
  public List<DeviceException> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM device_exceptions ORDER BY id")
        .map((rs, ctx) -> new DeviceException(rs.getLong("id"), rs.getLong("countermeasure_id"), rs.getString("device"),
            rs.getString("reason"), rs.getString("approved_by"), Millis.instant(rs, "created_at"),
            Millis.instant(rs, "expires_at")))
        .list());
  }
}
