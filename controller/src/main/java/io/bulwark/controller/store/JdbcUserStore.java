package io.bulwark.controller.store;

import io.bulwark.controller.domain.UserStore;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** {@link UserStore} over JDBC. */
public final class JdbcUserStore implements UserStore {
  private final Jdbi jdbi;

  public JdbcUserStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void add(UserCertificate c) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO users (serial, name, role, created_at, not_after) VALUES (:s, :n, :r, :c, :a)")
                .bind("s", c.serial())
                .bind("n", c.name())
                .bind("r", c.role())
                .bind("c", c.createdAt().toEpochMilli())
                .bind("a", c.notAfter().toEpochMilli())
                .execute());
  }

  @Override
  public int revoke(String name, Instant at) {
    return jdbi.withHandle(
        h ->
            h.createUpdate("UPDATE users SET revoked_at = :at WHERE name = :n AND revoked_at IS NULL")
                .bind("at", at.toEpochMilli())
                .bind("n", name)
                .execute());
  }

  @Override
  public boolean isActive(String serial) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM users WHERE serial = :s AND revoked_at IS NULL")
                .bind("s", serial)
                .mapTo(Integer.class)
                .one()
                > 0);
  }

  @Override
  public List<UserCertificate> list() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM users ORDER BY name, created_at")
                .map(
                    (rs, ctx) ->
                        new UserCertificate(
                            rs.getString("serial"),
                            rs.getString("name"),
                            rs.getString("role"),
                            Millis.instant(rs, "created_at"),
                            Millis.instant(rs, "not_after"),
                            Millis.instant(rs, "revoked_at")))
                .list());
  }
}
