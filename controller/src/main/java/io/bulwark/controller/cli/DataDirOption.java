package io.bulwark.controller.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How admin commands find the controller: {@code --data-dir} (its address and the local admin
 * credentials), or {@code --credentials} (a user's file from {@code bulwark user add}, which
 * also names the address).
 */
public final class DataDirOption {
  @Option(
      names = "--credentials",
      paramLabel = "FILE",
      description = "A user's credentials file from 'bulwark user add' (default: $BULWARK_CREDENTIALS, else the data directory's admin).")
  Path credentials;

  /** The credentials file given, from the option or the environment, or null. */
  public Path credentials() {
    if (credentials != null) {
      return credentials;
    }
    String env = System.getenv("BULWARK_CREDENTIALS");
    return env == null || env.isBlank() ? null : Path.of(env);
  }

  /** Opens an admin connection as these options say. */
  public AdminClient open() {
    Path c = credentials();
    return c == null ? AdminClient.open(get()) : AdminClient.openWithCredentials(c, get());
  }

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
