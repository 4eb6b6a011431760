package io.bulwark.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.agent.outbox.AppliedState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BundleCheckTest {

  private static final String RULES = "table inet bulwark {\n}\n";
  private static final String DIGEST = BundleCheck.sha256Hex(RULES);
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void sha256Hex_ofTextLongerThanOneSlice_withAPairAcrossTheBoundary_isThatOfAllItsUtf8()
      throws Exception {
    String text = "a".repeat(65_535) + "\uD83D\uDE00" + "é".repeat(70_000);

    String expected =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    assertEquals(expected, BundleCheck.sha256Hex(text));
  }

  @Test
  void sha256Hex_isLowercaseHexOfUtf8() {
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        BundleCheck.sha256Hex(""));
  }

  @Test
  void newerGeneration_isApplied() {
    assertEquals(
        new BundleCheck.Apply(),
        BundleCheck.check(header(2, DIGEST, "nftables"), new AppliedState(1, DIGEST), "nftables"));
  }

  @Test
  void sameGeneration_sameDigest_isAlreadyApplied_otherDigest_isApplied() {
    AppliedState applied = new AppliedState(5, DIGEST);
    assertEquals(
        new BundleCheck.AlreadyApplied(),
        BundleCheck.check(header(5, DIGEST, "nftables"), applied, "nftables"));
    assertEquals(
        new BundleCheck.Apply(),
        BundleCheck.check(header(5, "0".repeat(64), "nftables"), applied, "nftables"));
  }

  @Test
  void targetOfAnotherKind_isRejected_exceptByDryRun() {
    SignedHeader yara = header(2, DIGEST, "yara");

    assertEquals(
        new BundleCheck.Rejected("target 'yara' cannot be applied by the nftables applier"),
        BundleCheck.check(yara, AppliedState.NONE, "nftables"));
    assertEquals(new BundleCheck.Apply(), BundleCheck.check(yara, AppliedState.NONE, "dry-run"));
  }

  private static SignedHeader header(long generation, String digest, String target) {
    return new SignedHeader("web-01", generation, digest, 0, NOW, NOW.plusSeconds(60), target, "");
  }
}
