package io.bulwark.agent.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DryRunApplierTest {

  @TempDir Path dir;

  @Test
  void apply_writesTheRulesToDryRunNft_andReportsApplied() throws Exception {
    DryRunApplier applier = new DryRunApplier(dir);

    ApplyOutcome outcome = applier.apply("table inet bulwark {\n}\n");

    assertInstanceOf(ApplyOutcome.Applied.class, outcome);
    assertEquals("table inet bulwark {\n}\n", Files.readString(dir.resolve("dry-run.nft")));
    assertEquals("dry-run", applier.kind());
  }
}
