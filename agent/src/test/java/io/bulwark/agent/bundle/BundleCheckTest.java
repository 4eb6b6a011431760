package io.bulwark.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.agent.outbox.AppliedState;
import org.junit.jupiter.api.Test;

class BundleCheckTest {

  private static final String RULES = "table inet bulwark {\n}\n";
  private static final String DIGEST = BundleCheck.sha256Hex(RULES);

  @Test
  void sha256Hex_isLowercaseHexOfUtf8() {
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        BundleCheck.sha256Hex(""));
  }

  @Test
  void newerGeneration_isApplied() {
    assertEquals(new BundleCheck.Apply(), check(new RuleBundle(2, "nftables", RULES, DIGEST), 1));
  }

  @Test
  void wrongDigest_isRejected_evenWhenStale() {
    RuleBundle bundle = new RuleBundle(1, "nftables", RULES, BundleCheck.sha256Hex("x"));

    assertEquals(new BundleCheck.Rejected("digest mismatch"), check(bundle, 5));
  }

  @Test
  void olderGeneration_isStale() {
    assertEquals(new BundleCheck.Stale(5), check(new RuleBundle(4, "nftables", RULES, DIGEST), 5));
  }

  @Test
  void sameGeneration_sameDigest_isAlreadyApplied_otherDigest_isApplied() {
    AppliedState applied = new AppliedState(5, DIGEST);
    assertEquals(
        new BundleCheck.AlreadyApplied(),
        BundleCheck.check(
            new RuleBundle(5, "nftables", RULES, DIGEST.toUpperCase()), applied, "nftables"));

    String other = "table inet bulwark {\n\tchain c {\n\t}\n}\n";
    assertEquals(
        new BundleCheck.Apply(),
        BundleCheck.check(
            new RuleBundle(5, "nftables", other, BundleCheck.sha256Hex(other)),
            applied,
            "nftables"));
  }

  @Test
  void targetOfAnotherKind_isRejected_exceptByDryRun() {
    RuleBundle yara = new RuleBundle(2, "yara", RULES, DIGEST);

    assertEquals(
        new BundleCheck.Rejected("target 'yara' cannot be applied by the nftables applier"),
        BundleCheck.check(yara, AppliedState.NONE, "nftables"));
    assertEquals(new BundleCheck.Apply(), BundleCheck.check(yara, AppliedState.NONE, "dry-run"));
  }

  private static BundleCheck.Verdict check(RuleBundle bundle, long appliedGeneration) {
    return BundleCheck.check(
        bundle, new AppliedState(appliedGeneration, "f".repeat(64)), "nftables");
  }
}
