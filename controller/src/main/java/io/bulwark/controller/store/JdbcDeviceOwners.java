package io.bulwark.controller.store;

import io.bulwark.controller.domain.DeviceOwners;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** {@link DeviceOwners} over JDBC. */
public final class JdbcDeviceOwners implements DeviceOwners {
  private final Jdbi jdbi;

  public JdbcDeviceOwners(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void set(String device, String owner, String by, Instant at) {
    // Delete and insert in one transaction: the same on H2 and PostgreSQL, unlike their upserts.
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM device_owners WHERE device = :d").bind("d", device).execute();
      h.createUpdate("INSERT INTO device_owners (device, owner, set_at, set_by) VALUES (:d, :o, :at, :by)")
          .bind("d", device).bind("o", owner).bind("at", at.toEpochMilli()).bind("by", by).execute();
    });
  }

  @Override
  public Map<String, String> all() {
    return jdbi.withHandle(h -> {
      Map<String, String> out = new LinkedHashMap<>();
      h.createQuery("SELECT device, owner FROM device_owners ORDER BY device")
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
      return out;
    });
  }
}
