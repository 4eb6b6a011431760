package io.bulwark.rules.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared public test data ({@code shared/testdata}, beside the project checkout) and
 * reads it in place. A fresh clone has no such directory: tests then skip and say why, or fail when
 * {@code BULWARK_STRICT_TESTS} is set, so CI cannot pass without the data.
 */
public final class SharedTestData {

  private SharedTestData() {}

  /**
   * Returns {@code shared/testdata/<relative>} resolved from the module directory (the working
   * directory of Maven's test runs), skipping or failing the calling test when it is absent.
   */
  public static Path require(String relative) {
    Path dir =
        Path.of("..", "..", "shared", "testdata").resolve(relative).toAbsolutePath().normalize();
    if (!Files.exists(dir)) {
      String reason =
          "shared test data " + dir + " is absent (it lives beside the checkout, not in it)";
      String strict = System.getenv("BULWARK_STRICT_TESTS");
      if (strict != null && !strict.isBlank()) {
        Assertions.fail(
            reason + "; BULWARK_STRICT_TESTS is set, so this fails instead of skipping");
      }
      Assumptions.abort(reason);
    }
    return dir;
  }
}
