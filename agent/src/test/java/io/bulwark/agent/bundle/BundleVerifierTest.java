package io.bulwark.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.testing.TestSigner;
import io.bulwark.delta.LineDelta;
import io.bulwark.delta.LineText;
import io.bulwark.proto.agent.v1.BundleHeader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BundleVerifierTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String RULES = "table inet bulwark {\n}\n";

  private final TestSigner controller = new TestSigner();
  private final BundleVerifier verifier =
      new BundleVerifier("web-01", controller.publicKey(), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void signedBundleForThisDevice_isVerified_withItsHeader() {
    BundleVerifier.Result result = verifier.verify(bundle(header(7)), 7);

    SignedHeader header = assertInstanceOf(BundleVerifier.Verified.class, result).header();
    assertEquals(7, header.generation());
    assertEquals(BundleCheck.sha256Hex(RULES), header.digest());
    assertEquals(NOW.plusSeconds(3600), header.expiresAt());
  }

  @Test
  void signatureByAnotherKey_isRejected() {
    RuleBundle forged = new TestSigner().bundle(header(7).build(), RULES);

    assertRejected("bad signature", verifier.verify(forged, 0));
  }

  @Test
  void aPinnedKeyThatIsNotEd25519_isRefusedAtOnce() throws Exception {
    var ec = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic();

    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> new BundleVerifier("web-01", ec, Clock.fixed(NOW, ZoneOffset.UTC)));
    assertTrue(e.getMessage().contains("not an Ed25519 public key"), e.getMessage());
  }

  @Test
  void aSignatureWhoseScalarIsNotReduced_isRejected() {
    // RFC 8032 5.1.7: S must be below the group order L; S + L verifies the same equation.
    RuleBundle signed = bundle(header(7));
    byte[] sig = signed.signature().clone();
    byte[] order = java.util.HexFormat.of().parseHex(
        "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
    int carry = 0;
    for (int i = 0; i < 32; i++) {
      int sum = (sig[32 + i] & 0xff) + (order[i] & 0xff) + carry;
      sig[32 + i] = (byte) sum;
      carry = sum >> 8;
    }
    assertRejected("bad signature", verifier.verify(withSignature(signed, sig), 0));
  }

  /** {@code signed} with another signature, as received. */
  private static RuleBundle withSignature(RuleBundle signed, byte[] signature) {
    return new RuleBundle(7, "nftables", RULES, signed.digest(), signed.signedHeader(), signature);
  }

  @Test
  void aSignatureOfTheWrongLength_isRejected() {
    RuleBundle signed = bundle(header(7));
    byte[] longer = java.util.Arrays.copyOf(signed.signature(), 65);

    assertRejected("bad signature", verifier.verify(withSignature(signed, longer), 0));
  }

  @Test
  void aSignatureWithOneBitFlipped_isRejected() {
    RuleBundle signed = bundle(header(7));
    byte[] flipped = signed.signature().clone();
    flipped[10] ^= 0x01;

    assertRejected("bad signature", verifier.verify(withSignature(signed, flipped), 0));
  }

  @Test
  void headerChangedAfterSigning_isRejected() {
    RuleBundle signed = bundle(header(7));
    byte[] changed = header(7).setDevice("web-02").build().toByteArray();
    RuleBundle tampered =
        new RuleBundle(7, "nftables", RULES, signed.digest(), changed, signed.signature());

    assertRejected("bad signature", verifier.verify(tampered, 0));
  }

  @Test
  void unsignedBundle_isRejected() {
    RuleBundle unsigned =
        new RuleBundle(7, "nftables", RULES, BundleCheck.sha256Hex(RULES), new byte[0], new byte[0]);

    assertRejected("bad signature", verifier.verify(unsigned, 0));
  }

  @Test
  void signedGarbage_isRejectedAsMalformed() {
    byte[] garbage = "\u00ff\u00ff\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    RuleBundle bundle =
        new RuleBundle(7, "nftables", RULES, "", garbage, controller.sign(garbage));

    assertRejected("the signed header is malformed", verifier.verify(bundle, 0));
  }

  @Test
  void bundleForAnotherDevice_isRejected() {
    assertRejected(
        "the bundle is for device 'web-02', this agent is 'web-01'",
        verifier.verify(bundle(header(7).setDevice("web-02")), 0));
  }

  @Test
  void expiredBundle_isRejected_evenOneMillisecondLate() {
    BundleHeader.Builder header = header(7).setExpiresAtMillis(NOW.toEpochMilli());

    assertRejected("the bundle expired at 2026-03-01T12:00:00Z", verifier.verify(bundle(header), 0));
  }

  @Test
  void generationBelowTheHighWaterMark_isRejectedAsRollback() {
    assertRejected(
        "generation 6 is older than generation 7 already accepted (rollback refused)",
        verifier.verify(bundle(header(6)), 7));
  }

  @Test
  void digestOfOtherRules_isRejected() {
    RuleBundle bundle = controller.bundle(header(7).build(), "table inet bulwark {\n\tset x {\n}\n");

    assertRejected("digest mismatch", verifier.verify(bundle, 0));
  }

  @Test
  void unsignedGenerationThatDisagrees_isRejected() {
    RuleBundle signed = bundle(header(7));
    RuleBundle lying =
        new RuleBundle(
            9, "nftables", RULES, signed.digest(), signed.signedHeader(), signed.signature());

    assertRejected("the unsigned generation differs", verifier.verify(lying, 0));
  }

  @Test
  void deltaFromTheAppliedGeneration_isRebuiltIntoTheFullRules() {
    String next = "table inet bulwark {\n  set v4 { elements = { 192.0.2.1 } }\n}\n";
    RuleBundle delta = deltaBundle(7, 6, RULES, next);

    var verified =
        assertInstanceOf(
            BundleVerifier.Verified.class,
            verifier.verify(delta, 6, base -> base == 6 ? Optional.of(RULES) : Optional.empty()));
    assertEquals(next, verified.rules());
    assertEquals(6, verified.header().baseGeneration());
  }

  @Test
  void deltaRebuild_usesKeptLineStartsOnlyForTheVeryBaseText_andHandsOnTheResults() {
    String next = "table inet bulwark {\n  set v4 { elements = { 192.0.2.1 } }\n}\n";
    RuleBundle delta = deltaBundle(7, 6, RULES, next);
    LineText stale = LineText.of("one\ntwo\nthree\nfour\nfive\n");

    var verified = assertInstanceOf(BundleVerifier.Verified.class, verifier.verify(delta, 6,
        base -> base == 6 ? Optional.of(RULES) : Optional.empty(), 6, BundleCheck.sha256Hex(RULES), text -> stale));

    assertEquals(next, verified.rules(), "line starts of another text are not used");
    assertSame(verified.rules(), verified.lines().text());
    assertEquals(LineText.of(next).lineCount(), verified.lines().lineCount());
  }

  @Test
  void deltaFromAnotherGeneration_isRejected_askingForFullRules() {
    RuleBundle delta = deltaBundle(7, 5, RULES, RULES + "x\n");

    assertRejected(
        "delta from generation 5, which is not the generation applied",
        verifier.verify(delta, 6, base -> base == 6 ? Optional.of(RULES) : Optional.empty()));
  }

  @Test
  void deltaThatRebuildsOtherRules_isRejectedByDigest() {
    String next = RULES + "# next\n";
    RuleBundle delta = deltaBundle(7, 6, RULES, next);

    // The agent's base is not what the controller diffed against: the result cannot match.
    assertRejected(
        "digest mismatch: the rules rebuilt from the delta",
        verifier.verify(delta, 6, base -> Optional.of("table inet bulwark {\n  # edited\n}\n")));
  }

  @Test
  void deltaToTheRulesAppliedAlready_isVerifiedAsThoseRules_whateverItsBase() {
    String next = RULES + "# next\n";
    RuleBundle delta = deltaBundle(7, 5, RULES, next);

    // Generation 7 got applied meanwhile (the same bundle sent again after a reconnect).
    var verified =
        assertInstanceOf(
            BundleVerifier.Verified.class,
            verifier.verify(delta, 7, base -> base == 7 ? Optional.of(next) : Optional.empty(), 7,
                BundleCheck.sha256Hex(next)));
    assertEquals(next, verified.rules());
  }

  @Test
  void verifiersSharingWhereTheyKeepRules_keepOneCopy_andOnlyOfVerifiedRules() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    java.util.List<String> offered = new java.util.ArrayList<>();
    RuleTexts texts = new RuleTexts() {
      private final java.util.Map<String, io.bulwark.delta.LineText> kept = new java.util.HashMap<>();

      @Override
      public synchronized io.bulwark.delta.LineText share(String digest, io.bulwark.delta.LineText verified) {
        offered.add(digest);
        return kept.computeIfAbsent(digest, d -> verified);
      }
    };
    var first = new BundleVerifier("web-01", controller.publicKey(), clock, texts);
    var second = new BundleVerifier("web-02", controller.publicKey(), clock, texts);
    String next = RULES + "# next\n";

    var one = assertInstanceOf(BundleVerifier.Verified.class,
        first.verify(deltaBundle(7, 5, RULES, next), 6, base -> Optional.of(RULES)));
    RuleBundle forSecond = controller.bundle(
        TestSigner.header("web-02", 7, next, NOW).setBaseGeneration(5).build(), "");
    var two = assertInstanceOf(BundleVerifier.Verified.class, second.verify(
        new RuleBundle(7, "nftables", "", forSecond.digest(), forSecond.signedHeader(), forSecond.signature(),
            LineDelta.between(RULES, next)), 6, base -> Optional.of(RULES)));

    assertEquals(next, one.rules());
    assertTrue(one.rules() == two.rules(), "the second verifier keeps the first one's copy");
    assertTrue(one.lines() == two.lines());
    // Rules that do not hash to the signed digest are refused before anything is offered.
    offered.clear();
    RuleBundle lying = controller.bundle(header(8).build(), "table inet bulwark {\n\tset x {\n}\n");
    assertRejected("digest mismatch", first.verify(lying, 0));
    assertEquals(java.util.List.of(), offered);
  }

  @Test
  void deltaSignedAsFullRules_isRejected() {
    RuleBundle signedFull = bundle(header(7));
    RuleBundle withDelta =
        new RuleBundle(7, "nftables", "", signedFull.digest(), signedFull.signedHeader(), signedFull.signature(),
            LineDelta.between(RULES, RULES));

    assertRejected("the bundle carries a delta but the header signs full rules", verifier.verify(withDelta, 0));
  }

  /** A table of {@code n} addresses, one a line. */
  static String addresses(int n) {
    StringBuilder rules = new StringBuilder("table inet bulwark {\n");
    for (int i = 0; i < n; i++) {
      rules.append("  10.").append(i >> 16).append('.').append((i >> 8) & 255).append('.').append(i & 255).append(",\n");
    }
    return rules.append("}\n").toString();
  }

  private RuleBundle deltaBundle(long generation, long base, String baseRules, String rules) {
    return deltaBundle(generation, base, baseRules, rules, "");
  }

  private RuleBundle deltaBundle(long generation, long base, String baseRules, String rules, String blockDigest) {
    return deltaBundle(controller, generation, base, baseRules, rules, blockDigest);
  }

  /** A delta from {@code baseRules} to {@code rules} as {@code controller} signs it for web-01. */
  static RuleBundle deltaBundle(
      TestSigner controller, long generation, long base, String baseRules, String rules, String blockDigest) {
    RuleBundle full = controller.bundle(TestSigner.header("web-01", generation, rules, NOW).setBaseGeneration(base)
        .setBlockDigest(blockDigest).build(), "");
    return new RuleBundle(generation, "nftables", "", full.digest(), full.signedHeader(), full.signature(),
        LineDelta.between(baseRules, rules));
  }

  private BundleHeader.Builder header(long generation) {
    return TestSigner.header("web-01", generation, RULES, NOW);
  }

  private RuleBundle bundle(BundleHeader.Builder header) {
    return controller.bundle(header.build(), RULES);
  }

  static void assertRejected(String prefix, BundleVerifier.Result result) {
    String reason = assertInstanceOf(BundleVerifier.Rejected.class, result).reason();
    assertTrue(reason.startsWith(prefix), reason);
  }
}
