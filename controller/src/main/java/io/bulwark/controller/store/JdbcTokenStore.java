package io.bulwark.controller.store;

import io.bulwark.controller.domain.EnrollmentToken;
import io.bulwark.controller.domain.TokenStore;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@link TokenStore} over JDBC. Only the hash of a token's secret is stored. */
public final class JdbcTokenStore implements TokenStore {
  private static final HexFormat HEX = HexFormat.of();
  private final Jdbi jdbi;

  public JdbcTokenStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void add(EnrollmentToken t) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO enrollment_tokens (id, secret_hash, device, target, tags, created_at, expires_at)"
                        + " VALUES (:id, :hash, :device, :target, :tags, :created, :expires)")
                .bind("id", t.id())
                .bind("hash", HEX.formatHex(t.secretHash()))
                .bind("device", t.device())
                .bind("target", t.target())
                .bind("tags", Tags.join(t.tags()))
                .bind("created", t.createdAt().toEpochMilli())
                .bind("expires", t.expiresAt().toEpochMilli())
                .execute());
  }

  @Override
  public Optional<EnrollmentToken> findUnused(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM enrollment_tokens WHERE id = :id AND used_at IS NULL")
                .bind("id", id)
                .map(
                    (rs, ctx) ->
                        new EnrollmentToken(
                            rs.getString("id"),
                            HEX.parseHex(rs.getString("secret_hash")),
                            rs.getString("device"),
                            rs.getString("target"),
                            Tags.split(rs.getString("tags")),
                            Millis.instant(rs, "created_at"),
                            Millis.instant(rs, "expires_at")))
                .findOne());
  }

  @Override
  public boolean consume(String id, Instant now) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                        "UPDATE enrollment_tokens SET used_at = :now"
                            + " WHERE id = :id AND used_at IS NULL AND expires_at > :now")
                    .bind("now", now.toEpochMilli())
                    .bind("id", id)
                    .execute()
                == 1);
  }
}
