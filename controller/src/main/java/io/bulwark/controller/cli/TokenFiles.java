package io.bulwark.controller.cli;

import io.bulwark.controller.pki.PemFiles;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenResponse;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The token file an agent enrolls with: the one-time token, the device it is bound to, the pin
 * of the controller's CA and the controller's address. The one format every writer uses.
 */
public final class TokenFiles {
  private TokenFiles() {}

  /** The file's text. */
  public static String text(CreateEnrollmentTokenResponse r) {
    return "# Bulwark enrollment token: usable once, keep it secret\n"
        + "device=" + r.getDevice() + "\n"
        + "token=" + r.getToken() + "\n"
        + "ca_pin=" + r.getCaPin() + "\n"
        + "controller=" + r.getControllerAddress() + "\n"
        + "expires=" + Instant.ofEpochMilli(r.getExpiresAtMillis()) + "\n";
  }

  /** Writes the file with mode 0600. */
  public static void write(Path file, CreateEnrollmentTokenResponse r) {
    PemFiles.writePrivate(file, text(r));
  }
}
