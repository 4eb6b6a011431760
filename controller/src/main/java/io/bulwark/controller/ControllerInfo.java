package io.bulwark.controller;

import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.controller.pki.PemFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What a running controller writes into its data directory for the CLI: where its admin API
 * listens and where agents dial. Also where the local CLI's credentials are kept.
 */
public record ControllerInfo(String agentAddress, String adminAddress, String caPin, long pid) {
  public static final String FILE = "controller.properties";

  /** The local CLI's key, certificate and CA certificate under a data directory. */
  public record AdminCredentials(Path key, Path certificate, Path ca) {
    public static AdminCredentials in(Path dataDir) {
      Path pki = dataDir.resolve("pki");
      return new AdminCredentials(pki.resolve("admin.key"), pki.resolve("admin.crt"), pki.resolve("ca.crt"));
    }
  }

  public void writeTo(Path dataDir) {
    Properties p = new Properties();
    p.setProperty("agent_address", agentAddress);
    p.setProperty("admin_address", adminAddress);
    p.setProperty("ca_pin", caPin);
    p.setProperty("pid", Long.toString(pid));
    StringWriter text = new StringWriter();
    try {
      p.store(text, "Written by the running Bulwark controller; read by the bulwark CLI");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PemFiles.writePrivate(dataDir.resolve(FILE), text.toString());
  }

  /**
   * Reads the file a running controller wrote.
   *
   * @throws BulwarkException saying the controller is not running there when the file is absent
   */
  public static ControllerInfo readFrom(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    Properties p = new Properties();
    try {
      p.load(new StringReader(Files.readString(file)));
    } catch (NoSuchFileException e) {
      throw new BulwarkException(
          "no controller is running with data directory " + dataDir.toAbsolutePath()
              + " (no " + FILE + "); start one with 'bulwark controller --data-dir " + dataDir + "'"
              + " or pass --data-dir / set BULWARK_HOME");
    } catch (IOException e) {
      throw new BulwarkException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String admin = p.getProperty("admin_address");
    if (admin == null) {
      throw new BulwarkException(file + " has no admin_address");
    }
    return new ControllerInfo(
        p.getProperty("agent_address", ""), admin, p.getProperty("ca_pin", ""),
        Long.parseLong(p.getProperty("pid", "0")));
  }

  /** Removes the file on a clean stop, so the CLI does not dial a controller that is gone. */
  public static void remove(Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
