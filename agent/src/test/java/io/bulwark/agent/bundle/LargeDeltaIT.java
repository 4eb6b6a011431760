package io.bulwark.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.apply.NftablesApplier;
import io.bulwark.agent.outbox.AppliedStateStore;
import io.bulwark.agent.testing.ConfirmAtOnce;
import io.bulwark.agent.testing.GeneratedRules;
import io.bulwark.agent.testing.Netns;
import io.bulwark.agent.testing.TestSigner;
import io.bulwark.delta.LineBlocks;
import io.bulwark.delta.LineDelta;
import io.bulwark.rules.nftables.NftablesGenerator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signed line delta to a large nftables table, end to end in a real namespace: checked by the
 * blocks it touches, put in place from its edits while its rules are made, and recorded.
 */
class LargeDeltaIT {

  private static final String DEVICE = "fw-large";
  private static final int SIZE = 80_000;

  @TempDir Path dataDir;
  @TempDir Path scratch;

  private final TestSigner controller = new TestSigner();
  private final Clock clock = Clock.systemUTC();
  private final List<ApplyReport> reports = new ArrayList<>();
  private BundleProcessor processor;
  private final CommitConfirm.Requests confirmer = new ConfirmAtOnce(() -> processor);

  @Test
  void aSparseDeltaToALargeTable_isCheckedByBlocks_appliedFromItsEdits_andRecorded() throws Exception {
    String[] addresses = GeneratedRules.addresses(SIZE + 5);
    NftablesGenerator generator = new NftablesGenerator();
    String base = GeneratedRules.text(generator, GeneratedRules.block(1, Arrays.copyOf(addresses, SIZE)));
    String[] nextSet = Stream.concat(Arrays.stream(addresses, 1, SIZE), Arrays.stream(addresses, SIZE, SIZE + 5))
        .toArray(String[]::new);
    String next = GeneratedRules.text(generator, GeneratedRules.block(1, nextSet));
    assertTrue(base.length() >= DeltaCheck.HASH_ALONGSIDE_CHARS, "large enough to be made after its check");
    try (Netns netns = Netns.create(scratch)) {
      NftablesApplier applier = new NftablesApplier(netns.nft(), dataDir);
      DriftCheck drift = new DriftCheck(applier, dataDir.resolve("applied.rules"), DriftCheck.Policy.REPORT, clock);
      processor = new BundleProcessor(applier, new AppliedStateStore(dataDir.resolve("state.properties")),
          new HighWaterMark(dataDir.resolve("highwater"), 0), new BundleVerifier(DEVICE, controller.publicKey(), clock),
          new CommitConfirm(dataDir, Duration.ofSeconds(30)), drift, clock, Runnable::run, state -> { });
      processor.submit(controller.bundle(TestSigner.header(DEVICE, 1, base, clock.instant()).build(), base),
          reports::add, confirmer);
      assertEquals(ApplyReport.Phase.APPLIED, reports.get(reports.size() - 1).phase(), reports.toString());
      var applied = drift.lines(drift.appliedRules(processor.applied()).orElseThrow());
      for (int i = 0; i < 1000 && !applied.hasBlocks(); i++) {
        Thread.sleep(10); // the applied rules are cut into blocks on a hashing thread
      }
      long checkedByBlocks = DeltaCheck.BY_BLOCKS.get();
      long madeAfter = DeltaCheck.MADE_AFTER.get();

      RuleBundle signed = controller.bundle(TestSigner.header(DEVICE, 2, next, clock.instant()).setBaseGeneration(1)
          .setBlockDigest(LineBlocks.digestHex(next)).build(), "");
      processor.submit(new RuleBundle(2, signed.target(), "", signed.digest(), signed.signedHeader(),
          signed.signature(), LineDelta.between(base, next)), reports::add, confirmer);

      assertEquals(ApplyReport.Phase.APPLIED, reports.get(reports.size() - 1).phase(), reports.toString());
      assertEquals(BundleCheck.sha256Hex(next), processor.applied().digest());
      assertEquals(1, processor.counts().fromDelta());
      assertEquals(checkedByBlocks + 1, DeltaCheck.BY_BLOCKS.get(), "checked by the blocks it touched");
      assertEquals(madeAfter + 1, DeltaCheck.MADE_AFTER.get(), "its rules made after the check");
      String set = setName(next);
      assertTrue(!member(netns, set, addresses[0]), "the deleted address is gone");
      for (int i = SIZE; i < SIZE + 5; i++) {
        assertTrue(member(netns, set, addresses[i]), "added " + addresses[i]);
      }
      assertTrue(member(netns, set, addresses[SIZE - 1]));
      assertEquals(next, drift.appliedRules(processor.applied()).orElseThrow(), "the rules kept are the signed ones");
    }
  }

  private static String setName(String rules) {
    Matcher m = Pattern.compile("set (\\S+) \\{").matcher(rules);
    assertTrue(m.find(), "the rules declare a set");
    return m.group(1);
  }

  private static boolean member(Netns netns, String set, String address) throws Exception {
    return netns.nftResult("get", "element", "inet", "bulwark", set, "{ " + address + " }").exitCode() == 0;
  }
}
