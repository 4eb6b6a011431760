package io.bulwark.controller.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a real part this machine may lack (root, nft, PostgreSQL) skip and say why;
 * with {@code BULWARK_STRICT_TESTS} set, as CI sets it, they fail instead, so a missing part
 * can never turn a CI run green.
 */
public final class StrictTests {
  private StrictTests() {}

  public static void skipOrFail(String reason) {
    String strict = System.getenv("BULWARK_STRICT_TESTS");
    if (strict != null && !strict.isBlank()) {
      Assertions.fail(reason + " (BULWARK_STRICT_TESTS is set, so this fails instead of skipping)");
    }
    Assumptions.abort(reason);
  }

  /** Skips (or fails) unless running as root with {@code ip} and {@code nft} available. */
  public static void requireRootWithNft() {
    try {
      if (((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) != 0) {
        skipOrFail("needs root for network namespaces");
      }
    } catch (java.io.IOException e) {
      skipOrFail("cannot tell whether running as root: " + e.getMessage());
    }
    for (String tool : new String[] {"/usr/sbin/nft", "/usr/sbin/ip"}) {
      if (!Files.isExecutable(Path.of(tool)) && !Files.isExecutable(Path.of(tool.replace("/usr", "")))) {
        skipOrFail("needs " + tool);
      }
    }
  }
}
