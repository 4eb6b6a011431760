package io.bulwark.rules.testing;

import io.bulwark.rules.testing.NetnsFixture.CommandResult;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a real validator ({@code yara}, {@code named-checkzone}, {@code sigtool}, ...) on the host.
 * A test whose tool is missing skips with the reason, or fails when {@code BULWARK_STRICT_TESTS} is
 * set, as CI sets it, so a missing package cannot turn a CI run green.
 */
public final class ExternalTool {

  private ExternalTool() {}

  /**
   * Skips (or fails) the calling test unless {@code probe} runs and exits 0.
   *
   * @param packageName the Debian package that provides the tool, for the message
   * @param probe a harmless command such as {@code yara --version}
   */
  public static void require(String packageName, String... probe) {
    String reason = null;
    try {
      if (!NetnsFixture.run(List.of(probe), null).ok()) {
        reason = probe[0] + " does not work here";
      }
    } catch (UncheckedIOException e) {
      reason = probe[0] + " is not installed (Debian package " + packageName + ")";
    }
    if (reason != null) {
      skipOrFail(reason);
    }
  }

  /** Skips the calling test with {@code reason}, or fails it under BULWARK_STRICT_TESTS. */
  public static void skipOrFail(String reason) {
    String strict = System.getenv("BULWARK_STRICT_TESTS");
    if (strict != null && !strict.isBlank()) {
      Assertions.fail(reason + " (BULWARK_STRICT_TESTS is set, so this fails instead of skipping)");
    }
    Assumptions.abort(reason);
  }

  /** Runs {@code command} on the host with {@code stdin} (may be null) and waits for it. */
  public static CommandResult run(String stdin, String... command) {
    return NetnsFixture.run(List.of(command), stdin);
  }
}
