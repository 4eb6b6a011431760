package io.bulwark.controller.store;

import io.bulwark.controller.domain.SshDeviceStore;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@link SshDeviceStore} over JDBC. */
public final class JdbcSshDeviceStore implements SshDeviceStore {
  private final Jdbi jdbi;

  public JdbcSshDeviceStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void put(SshDevice d) {
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM ssh_devices WHERE name = :n").bind("n", d.name()).execute();
      h.createUpdate("INSERT INTO ssh_devices (name, host, port, username, platform, host_key, sealed_key,"
              + " sealed_password) VALUES (:n, :h, :p, :u, :pl, :hk, :sk, :sp)")
          .bind("n", d.name()).bind("h", d.host()).bind("p", d.port()).bind("u", d.user()).bind("pl", d.platform())
          .bind("hk", d.hostKey()).bind("sk", d.sealedKey())
          .bind("sp", d.sealedPassword()).execute();
    });
  }

  @Override
  public Optional<SshDevice> find(String name) {
    return list().stream().filter(d -> d.name().equals(name)).findFirst();
  }

  @Override
  public List<SshDevice> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM ssh_devices ORDER BY name")
        .map((rs, ctx) -> new SshDevice(rs.getString("name"), rs.getString("host"), rs.getInt("port"),
            rs.getString("username"), rs.getString("platform"), rs.getString("host_key"), rs.getString("sealed_key"),
            rs.getString("sealed_password")))
        .list());
  }
}
