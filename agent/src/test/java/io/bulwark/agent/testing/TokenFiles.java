package io.bulwark.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes token files in the format of {@code bulwark token create}. */
public final class TokenFiles {

  private TokenFiles() {}

  public static Path write(Path dir, String device, String token, String pin, String controller)
      throws IOException {
    Path file = dir.resolve("enroll.token");
    String text =
        "# Bulwark enrollment token for "
            + device
            + "\n"
            + "device="
            + device
            + "\n"
            + "token="
            + token
            + "\n"
            + "ca_pin="
            + pin
            + "\n"
            + (controller == null ? "" : "controller=" + controller + "\n")
            + "expires=2030-01-01T00:00:00Z\n";
    return Files.writeString(file, text);
  }
}
