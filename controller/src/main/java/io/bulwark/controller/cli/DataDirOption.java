package io.bulwark.controller.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir} option every command shares. */
public final class DataDirOption {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The controller's data directory (default: $BULWARK_HOME, else ./bulwark-data).")
  Path dataDir;

  /** The directory given, or the default. */
  public Path get() {
    if (dataDir != null) {
      return dataDir;
    }
    String home = System.getenv("BULWARK_HOME");
    return Path.of(home == null || home.isBlank() ? "bulwark-data" : home);
  }
}
