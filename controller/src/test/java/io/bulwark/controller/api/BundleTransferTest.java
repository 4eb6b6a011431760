package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.pki.BundleSigner;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.delta.LineBlocks;
import io.bulwark.delta.LineDelta;
import io.bulwark.proto.agent.v1.BundleHeader;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BundleTransferTest {
  private static final int CHUNK = 4096;


  @Test
  void ruleSetWithinOneChunk_goesAsOneMessage_withItsRules_asBefore() throws Exception {
    DesiredState state = state(3, rules(100) + "# é\n");
    BundleTransfer transfer = bundles().transfer(state);

    assertFalse(transfer.chunked());
    assertEquals(1, transfer.messages());
    // As the agent reads it off the wire.
    ControllerMessage only = ControllerMessage.parseFrom(transfer.next().toByteString());
    assertEquals(state.rules(), only.getDesiredState().getRules());
    assertFalse(only.getDesiredState().hasChunked());
    assertFalse(transfer.hasNext());
  }

  @Test
  void largeRuleSet_goesInChunks_thatJoinToItsUtf8_underTheSignedDigestOfTheWholeSet() throws Exception {
    DesiredState state = state(4, rules(2000) + "# é\n");
    BundleTransfer transfer = bundles().transfer(state);

    assertTrue(transfer.chunked());
    var first = ControllerMessage.parseFrom(transfer.next().toByteString()).getDesiredState();
    BundleHeader header = BundleHeader.parseFrom(first.getSignedHeader());
    assertEquals(state.digest(), header.getDigest());
    assertEquals(0, header.getBaseGeneration());
    assertEquals("", header.getBlockDigest(), "full rules are checked by their SHA-256");
    assertEquals("", first.getRules());
    assertTrue(first.getSerializedSize() < 1024, "the first message carries no rules");
    ByteString joined = ByteString.EMPTY;
    int chunks = 0;
    while (transfer.hasNext()) {
      var chunk = transfer.next().getRuleChunk();
      assertEquals(chunks++, chunk.getIndex());
      assertTrue(chunk.getData().size() <= CHUNK);
      joined = joined.concat(chunk.getData());
    }
    assertEquals(first.getChunked().getChunkCount(), chunks);
    assertEquals(first.getChunked().getTotalBytes(), joined.size());
    assertEquals(state.rules(), joined.toStringUtf8());
    assertEquals(state.digest(), sha256(joined));
  }

  @Test
  void largeDelta_goesInChunks_withTheDigestOfItsBytesSigned() throws Exception {
    String base = rules(100);
    DesiredState state = state(5, base + rules(3000).replace("10.", "11."));
    RuleDelta delta = LineDelta.between(base, state.rules());
    assertTrue(delta.getSerializedSize() > CHUNK);

    BundleTransfer transfer = bundles().deltaTransfer(state, 4, delta);

    BundleHeader header = BundleHeader.parseFrom(transfer.next().getDesiredState().getSignedHeader());
    assertEquals(4, header.getBaseGeneration());
    assertEquals(sha256(delta.toByteString()), header.getPayloadDigest());
    assertEquals(state.digest(), header.getDigest());
    assertEquals(LineBlocks.digestHex(state.rules()), header.getBlockDigest(), "the result's blocks are signed too");
    ByteString joined = ByteString.EMPTY;
    while (transfer.hasNext()) {
      joined = joined.concat(transfer.next().getRuleChunk().getData());
    }
    assertEquals(delta, RuleDelta.parseFrom(joined));
  }

  @Test
  void smallDelta_goesAsOneMessage_withoutPayloadDigest() throws Exception {
    String base = rules(100);
    DesiredState state = state(5, base + "# one more line\n");
    RuleDelta delta = LineDelta.between(base, state.rules());
    BundleTransfer transfer = bundles().deltaTransfer(state, 4, delta);

    // As the agent reads it off the wire.
    var only = ControllerMessage.parseFrom(transfer.next().toByteString()).getDesiredState();
    assertEquals(delta, only.getDelta());
    BundleHeader header = BundleHeader.parseFrom(only.getSignedHeader());
    assertEquals("", header.getPayloadDigest());
    assertEquals(LineBlocks.digestHex(state.rules()), header.getBlockDigest());
    assertFalse(transfer.hasNext());
  }

  private SignedBundles bundles() {
    return new SignedBundles(BundleSigner.create(), MutableClock.at("2026-12-04T10:00:00Z"),
        Duration.ofHours(1), CHUNK);
  }

  private static DesiredState state(long generation, String rules) {
    return new DesiredState("web-01", generation, "nftables", rules, sha256(ByteString.copyFromUtf8(rules)));
  }

  private static String rules(int n) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      text.append("10.").append(i / 65536).append('.').append(i / 256 % 256).append('.').append(i % 256).append(",\n");
    }
    return text.toString();
  }

  private static String sha256(ByteString bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
