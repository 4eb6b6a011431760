package io.bulwark.agent.apply;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.bulwark.agent.testing.Netns;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** An nftables applier on a scratch network namespace made for each test and deleted after it. */
abstract class NamespacedApplierIT {

  @TempDir Path dataDir;
  @TempDir Path scratch;

  Netns netns;
  NftablesApplier applier;

  @BeforeEach
  void createNamespace() throws Exception {
    netns = Netns.create(scratch);
    applier = new NftablesApplier(netns.nft(), dataDir);
  }

  @AfterEach
  void deleteNamespace() throws Exception {
    if (netns != null) {
      netns.close();
    }
  }

  /** Whether {@code address} is in set {@code cm1_v4} of the live table (nft lists the set to tell). */
  boolean member(String address) throws Exception {
    return netns.nftResult("get", "element", "inet", "bulwark", "cm1_v4", "{ " + address + " }")
        .exitCode() == 0;
  }

  static String summary(ApplyOutcome outcome) {
    return assertInstanceOf(ApplyOutcome.Applied.class, outcome).readBackSummary();
  }
}
