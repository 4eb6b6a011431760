package io.bulwark.agent.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.bundle.BundleVerifier;
import io.bulwark.agent.bundle.RuleBundle;
import io.bulwark.agent.bundle.RuleTexts;
import io.bulwark.agent.testing.TestSigner;
import io.bulwark.delta.LineBlocks;
import io.bulwark.delta.LineDelta;
import io.bulwark.delta.LineText;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How the simulated agents of one process share the checking of the rules they all get ({@link
 * SharedRuleTexts}): each agent still checks its own signature and header, and takes a result only
 * under the digest its own header signs.
 */
class SharedChecksTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final TestSigner controller = new TestSigner();
  private final Counting texts = new Counting(new SharedRuleTexts());

  @Test
  void aDeltaToTheSharedBase_isRebuiltAndCheckedOnce_andTakenOnlyUnderItsSignedDigest() {
    String base = keptBase(addresses(2_000), 5);
    String next = base.replace("  10.0.0.7,\n", "").replace("  10.0.4.0,\n", "  10.0.4.0,\n  192.0.2.1,\n");

    var first = verified(agent().verify(delta(7, base, next, ""), 6, b -> Optional.of(base)));
    int checked = texts.checked.get();
    var second = verified(agent().verify(delta(7, base, next, ""), 6, b -> Optional.of(base)));

    assertEquals(checked, texts.checked.get(), "the second agent neither rebuilt nor hashed the rules");
    assertSame(first.change().edits(), second.change().edits());
    assertSame(first.lines(), second.lines());
    assertEquals(next, second.rules());

    // The same edits under a header that signs other rules: rebuilt, hashed, refused.
    RuleBundle signed = delta(7, base, base.replace("  10.0.0.9,\n", ""), "");
    assertRejected(agent().verify(withEdits(signed, LineDelta.between(base, next)), 6, b -> Optional.of(base)));
    // Other edits under a header signing next: not the delta rebuilt before, so refused as well.
    RuleDelta otherEdits = LineDelta.between(base, base.replace("  10.0.0.9,\n", ""));
    RuleBundle forged = withEdits(delta(7, base, next, ""), otherEdits);
    assertRejected(agent().verify(forged, 6, b -> Optional.of(base)));
  }

  @Test
  void aBaseReadBackByOneAgent_isRebuiltByEach() {
    String base = keptBase(addresses(2_000), 5);
    String next = base.replace("  10.0.0.7,\n", "");
    String own = new String(base);

    verified(agent().verify(delta(7, base, next, ""), 6, b -> Optional.of(own)));
    int checked = texts.checked.get();
    verified(agent().verify(delta(7, base, next, ""), 6, b -> Optional.of(own)));

    assertEquals(checked + 1, texts.checked.get(), "what was rebuilt from a base no one shares is not kept");
  }

  @Test
  void aLargeDeltaCheckedByBlocks_isTakenOnceMade_andOnlyUnderItsSignedDigest() throws InterruptedException {
    String base = keptBase(addresses(70_000), 5);
    LineText lines = texts.verified(digestOf(base)).orElseThrow();
    lines.blocks();
    assertTrue(lines.hasBlocks() && base.length() >= 1 << 20, "a large base cut into blocks: checked by blocks");
    String next = base.replace("  10.0.0.7,\n", "").replace("  10.1.0.0,\n", "  10.1.0.0,\n  192.0.2.1,\n");
    RuleDelta edits = LineDelta.between(base, next);

    var first = verified(agent().verify(delta(7, base, next, LineBlocks.digestHex(next)), 6, b -> Optional.of(base),
        5, digestOf(base), rules -> lines));
    assertEquals(next, first.rules());
    for (int i = 0; i < 500 && texts.rebuiltBefore(base, edits).isEmpty(); i++) {
      Thread.sleep(10); // kept once made, on the hashing thread
    }
    int checked = texts.checked.get();
    var second = verified(agent().verify(delta(7, base, next, LineBlocks.digestHex(next)), 6, b -> Optional.of(base),
        5, digestOf(base), rules -> lines));

    assertEquals(checked, texts.checked.get(), "the second agent took the rules made for the first");
    assertSame(first.change().edits(), second.change().edits());
    assertSame(first.lines(), second.lines());
    String other = base.replace("  10.0.0.9,\n", "");
    assertRejected(agent().verify(withEdits(delta(7, base, other, LineBlocks.digestHex(other)), edits), 6,
        b -> Optional.of(base), 5, digestOf(base), rules -> lines));
  }

  @Test
  void fullRulesEqualToAKeptCopy_areNotHashedAgain_whileOtherRulesUnderTheSameSignatureAreRefused() {
    String kept = keptBase(addresses(2_000), 5);
    int checked = texts.checked.get();

    RuleBundle full = controller.bundle(TestSigner.header("web-01", 6, kept, NOW).build(), new String(kept));
    assertSame(texts.verified(digestOf(kept)).orElseThrow(), verified(agent().verify(full, 6)).lines());
    assertEquals(checked, texts.checked.get(), "taken as the kept copy, not hashed");

    RuleBundle swapped = new RuleBundle(6, "nftables", kept.replace("10.0.0.3,", "10.0.0.33,"), full.digest(),
        full.signedHeader(), full.signature());
    assertRejected(agent().verify(swapped, 6));
  }

  /** A new simulated agent of this process. */
  private BundleVerifier agent() {
    return new BundleVerifier("web-01", controller.publicKey(), CLOCK, texts);
  }

  /** {@code rules} verified in full as {@code generation} by an agent: the copy the process keeps. */
  private String keptBase(String rules, long generation) {
    RuleBundle full = controller.bundle(TestSigner.header("web-01", generation, rules, NOW).build(), rules);
    return verified(agent().verify(full, generation)).rules();
  }

  private RuleBundle delta(long generation, String base, String rules, String blockDigest) {
    RuleBundle signed = controller.bundle(TestSigner.header("web-01", generation, rules, NOW)
        .setBaseGeneration(generation - 2).setBlockDigest(blockDigest).build(), "");
    return withEdits(signed, LineDelta.between(base, rules));
  }

  private static RuleBundle withEdits(RuleBundle signed, RuleDelta edits) {
    return new RuleBundle(signed.generation(), "nftables", "", signed.digest(), signed.signedHeader(),
        signed.signature(), edits);
  }

  private static String digestOf(String rules) {
    return io.bulwark.agent.bundle.BundleCheck.sha256Hex(rules);
  }

  private static BundleVerifier.Verified verified(BundleVerifier.Result result) {
    return assertInstanceOf(BundleVerifier.Verified.class, result);
  }

  private static void assertRejected(BundleVerifier.Result result) {
    String reason = assertInstanceOf(BundleVerifier.Rejected.class, result).reason();
    assertTrue(reason.startsWith("digest mismatch"), reason);
  }

  private static String addresses(int n) {
    StringBuilder rules = new StringBuilder("table inet bulwark {\n");
    for (int i = 0; i < n; i++) {
      rules.append("  10.").append(i >> 16).append('.').append((i >> 8) & 255).append('.').append(i & 255)
          .append(",\n");
    }
    return rules.append("}\n").toString();
  }

  /** The shared texts, counting the rule sets agents checked themselves (each then offers its copy). */
  private static final class Counting implements RuleTexts {
    private final SharedRuleTexts kept;
    final AtomicInteger checked = new AtomicInteger();

    Counting(SharedRuleTexts kept) {
      this.kept = kept;
    }

    @Override
    public LineText share(String digest, LineText verified) {
      checked.incrementAndGet();
      return kept.share(digest, verified);
    }

    @Override
    public Optional<LineText> verified(String digest) {
      return kept.verified(digest);
    }

    @Override
    public Optional<Rebuilt> rebuiltBefore(String base, RuleDelta delta) {
      return kept.rebuiltBefore(base, delta);
    }

    @Override
    public void keepRebuilt(String base, RuleDelta delta, Rebuilt made) {
      kept.keepRebuilt(base, delta, made);
    }
  }
}
