package io.bulwark.agent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** A temporary directory for one bench run, deleted with everything in it when closed. */
final class Scratch implements AutoCloseable {
  private final Path dir;

  private Scratch(Path dir) {
    this.dir = dir;
  }

  static Scratch create() throws IOException {
    return new Scratch(Files.createTempDirectory("bulwark-bench"));
  }

  /** One inside {@code parent}, so that deleting that deletes this too. */
  static Scratch within(Path parent) throws IOException {
    return new Scratch(Files.createTempDirectory(parent, "bulwark-bench"));
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
