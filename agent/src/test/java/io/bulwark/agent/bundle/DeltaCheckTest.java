package io.bulwark.agent.bundle;

import static io.bulwark.agent.bundle.BundleVerifierTest.addresses;
import static io.bulwark.agent.bundle.BundleVerifierTest.assertRejected;
import static io.bulwark.agent.bundle.BundleVerifierTest.deltaBundle;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.testing.TestSigner;
import io.bulwark.delta.LineBlocks;
import io.bulwark.delta.LineDelta;
import io.bulwark.delta.LineText;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How {@link BundleVerifier} checks what a delta makes of its base ({@link DeltaCheck}). */
class DeltaCheckTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final TestSigner controller = new TestSigner();
  private final BundleVerifier verifier =
      new BundleVerifier("web-01", controller.publicKey(), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void largeDelta_hashedWhileRebuilt_isVerified_andOnAnotherBaseRefused() {
    StringBuilder rules = new StringBuilder("table inet bulwark {\n");
    for (int i = 0; i < 70_000; i++) {
      rules.append("  10.").append(i >> 16).append('.').append((i >> 8) & 255).append('.').append(i & 255).append(",\n");
    }
    String big = rules.append("}\n").toString();
    assertTrue(big.length() >= DeltaCheck.HASH_ALONGSIDE_CHARS, "large enough to be hashed alongside");
    String next = big.replace("  10.0.0.7,\n", "").replace("  10.1.0.0,\n", "  10.1.0.0,\n  192.0.2.1,\n");
    RuleBundle delta = deltaBundle(controller, 7, 5, big, next, "");

    long before = DeltaCheck.HASHED_ALONGSIDE.get();
    var verified = assertInstanceOf(BundleVerifier.Verified.class, verifier.verify(delta, 6, base -> Optional.of(big)));
    assertEquals(next, verified.rules());
    assertTrue(DeltaCheck.HASHED_ALONGSIDE.get() > before, "its digest was found while it was rebuilt");
    String otherBase = big.replace("  10.0.0.9,", "  10.0.0.99,");
    assertRejected("digest mismatch: the rules rebuilt from the delta",
        verifier.verify(delta, 6, base -> Optional.of(otherBase)));
    assertRejected("the delta does not fit the applied rules",
        verifier.verify(delta, 6, base -> Optional.of(big.substring(0, big.length() / 2))));
  }

  @Test
  void meanwhile_isToldOnlyTheAuthenticHeaderOfALargeDelta() {
    String large = addresses(70_000);
    String next = large.replace("  10.0.0.7,\n", "");
    String small = addresses(1000);
    List<SignedHeader> told = new ArrayList<>();

    var otherDevice = new BundleVerifier("web-02", controller.publicKey(), Clock.fixed(NOW, ZoneOffset.UTC));
    var later = new BundleVerifier("web-01", controller.publicKey(), Clock.fixed(NOW.plusSeconds(86_400 * 30), ZoneOffset.UTC));
    RuleBundle good = deltaBundle(controller, 7, 5, large, next, LineBlocks.digestHex(next));
    // Signed for next, carrying edits that make something else: told, then refused.
    RuleBundle signed = deltaBundle(controller, 8, 5, large, next, "");
    RuleBundle forged = new RuleBundle(8, "nftables", "", signed.digest(), signed.signedHeader(), signed.signature(),
        LineDelta.between(large, large.replace("  10.0.0.9,\n", "")));

    assertInstanceOf(BundleVerifier.Verified.class, verifier.verify(good, 6, b -> Optional.of(large), 5, "", LineText::of, told::add));
    assertRejected("digest mismatch", verifier.verify(forged, 6, b -> Optional.of(large), 5, "", LineText::of, told::add));
    assertRejected("bad signature", verifier.verify(deltaBundle(new TestSigner(), 9, 5, large, next, ""), 6,
        b -> Optional.of(large), 5, "", LineText::of, told::add));
    assertRejected("the bundle is for device", otherDevice.verify(good, 6, b -> Optional.of(large), 5, "", LineText::of, told::add));
    assertRejected("the bundle expired", later.verify(good, 6, b -> Optional.of(large), 5, "", LineText::of, told::add));
    assertRejected("generation 7 is older", verifier.verify(good, 8, b -> Optional.of(large), 5, "", LineText::of, told::add));
    verifier.verify(deltaBundle(controller, 10, 5, small, small + "x\n", ""), 6,
        b -> Optional.of(small), 5, "", LineText::of, told::add);

    assertEquals(List.of(7L, 8L), told.stream().map(SignedHeader::generation).toList(),
        "after the header checks and before the delta check; not for a small base");
  }

  @Test
  void deltaWithABlockDigest_isCheckedByBlocks_andItsResultKeepsThem() {
    String base = addresses(1000);
    String next = base.replace("  10.0.1.7,\n", "");
    long before = DeltaCheck.BY_BLOCKS.get();
    var verified = assertInstanceOf(BundleVerifier.Verified.class,
        verifier.verify(deltaBundle(controller, 7, 5, base, next, LineBlocks.digestHex(next)), 6, b -> Optional.of(base)));

    assertEquals(next, verified.rules());
    assertEquals(BundleCheck.sha256Hex(next), verified.header().digest());
    assertEquals(before + 1, DeltaCheck.BY_BLOCKS.get());
    assertTrue(verified.lines().hasBlocks(), "the next delta starts from these blocks");
    assertEquals(LineBlocks.digestHex(next), verified.lines().blocks().digestHex());
  }

  @Test
  void aBlockDigestThatDoesNotMatch_leavesItToTheDigest() {
    String base = addresses(1000);
    String next = base.replace("  10.0.1.7,\n", "");
    // As from a controller that cuts otherwise: the signed SHA-256 decides.
    RuleBundle otherCut = deltaBundle(controller, 7, 5, base, next, LineBlocks.digestHex(base));
    var verified = assertInstanceOf(BundleVerifier.Verified.class, verifier.verify(otherCut, 6, b -> Optional.of(base)));
    assertEquals(next, verified.rules());
    assertTrue(!verified.lines().hasBlocks(), "blocks that did not match are not kept");
    // Applied to another base, the rebuilt rules match neither digest.
    RuleBundle honest = deltaBundle(controller, 7, 5, base, next, LineBlocks.digestHex(next));
    assertRejected("digest mismatch: the rules rebuilt from the delta do not hash to the signed digest",
        verifier.verify(honest, 6, b -> Optional.of(base.replace("10.0.2.9,", "10.0.2.99,"))));
  }

  @Test
  void aDeltaThatEditsMostLines_isCheckedByDigest_evenWithABlockDigest() {
    String base = addresses(200);
    String next = base.replace("0,\n", "0,\n  192.0.2.1,\n");
    assertTrue(!DeltaCheck.sparse(LineDelta.between(base, next), 202), "edits everywhere");
    long before = DeltaCheck.BY_BLOCKS.get();

    var verified = assertInstanceOf(BundleVerifier.Verified.class,
        verifier.verify(deltaBundle(controller, 7, 5, base, next, LineBlocks.digestHex(next)), 6, b -> Optional.of(base)));
    assertEquals(next, verified.rules());
    assertEquals(before, DeltaCheck.BY_BLOCKS.get(), "hashing the whole result costs less here");
  }

  @Test
  void aLargeBaseWithoutBlocks_isCheckedByDigest_thenCut_soThatTheNextDeltaGoesByBlocks() throws Exception {
    String big = addresses(70_000);
    String next = big.replace("  10.0.0.7,\n", "");
    String last = next.replace("  10.1.0.0,\n", "  10.1.0.0,\n  192.0.2.1,\n");

    long before = DeltaCheck.BY_BLOCKS.get();
    var first = assertInstanceOf(BundleVerifier.Verified.class, verifier.verify(
        deltaBundle(controller, 7, 5, big, next, LineBlocks.digestHex(next)), 6, base -> Optional.of(big)));
    assertEquals(before, DeltaCheck.BY_BLOCKS.get(), "not cut yet: checked by SHA-256, not waiting for the cut");
    for (int i = 0; i < 500 && !first.lines().hasBlocks(); i++) {
      Thread.sleep(10);
    }
    assertTrue(first.lines().hasBlocks(), "cut meanwhile, on a hashing thread");

    var second = assertInstanceOf(BundleVerifier.Verified.class, verifier.verify(
        deltaBundle(controller, 8, 7, next, last, LineBlocks.digestHex(last)), 7, base -> Optional.of(first.rules()), 7,
        BundleCheck.sha256Hex(next), text -> first.lines()));
    assertEquals(last, second.rules());
    assertEquals(before + 1, DeltaCheck.BY_BLOCKS.get());
  }

  @Test
  void aLargeBaseWithBlocks_isCheckedByBlocksFirst_andItsRulesAreMadeAfterwards() {
    LineText big = LineText.of(addresses(70_000));
    big.blocks();
    String next = big.text().replace("  10.0.0.7,\n", "").replace("  10.1.0.0,\n", "  10.1.0.0,\n  192.0.2.1,\n");
    var delta = LineDelta.between(big.text(), next);
    long made = DeltaCheck.MADE_AFTER.get();

    var verified = assertInstanceOf(BundleVerifier.Verified.class, verifier.verify(
        deltaBundle(controller, 7, 5, big.text(), next, LineBlocks.digestHex(next)), 6, b -> Optional.of(big.text()), 5, "",
        text -> big));
    assertSame(big.text(), verified.change().base());
    assertEquals(assertDoesNotThrow(() -> LineDelta.applyKeepingEdits(big, delta)).edits(), verified.change().edits());
    assertEquals(next, verified.rules());
    assertEquals(made + 1, DeltaCheck.MADE_AFTER.get(), "made after the blocks matched");
    assertEquals(LineBlocks.digestHex(next), verified.lines().blocks().digestHex(), "kept with their blocks");

    // A block digest cut otherwise: the SHA-256 decides, on the rules made first.
    var otherCut = assertInstanceOf(BundleVerifier.Verified.class, verifier.verify(
        deltaBundle(controller, 7, 5, big.text(), next, LineBlocks.digestHex(big.text())), 6, b -> Optional.of(big.text()), 5,
        "", text -> big));
    assertEquals(next, otherCut.rules());
    assertEquals(made + 1, DeltaCheck.MADE_AFTER.get());
    // Another base with blocks of its own matches neither digest.
    LineText other = LineText.of(big.text().replace("  10.0.2.9,", "  10.0.2.99,"));
    other.blocks();
    assertRejected("digest mismatch: the rules rebuilt from the delta do not hash to the signed digest",
        verifier.verify(deltaBundle(controller, 7, 5, big.text(), next, LineBlocks.digestHex(next)), 6,
            b -> Optional.of(other.text()), 5, "", text -> other));
  }
}
