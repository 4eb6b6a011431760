package io.bulwark.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.DesiredState;
import io.bulwark.proto.agent.v1.RuleChunk;
import org.junit.jupiter.api.Test;

class RuleChunksTest {

  private static final DesiredState SIGNED =
      DesiredState.newBuilder()
          .setGeneration(5)
          .setTarget("nftables")
          .setDigest("ab")
          .setSignedHeader(ByteString.copyFromUtf8("header"))
          .setSignature(ByteString.copyFromUtf8("signature"))
          .setRules("must not travel in the first message")
          .build();

  @Test
  void payloadOfExactlyOneChunk_needsNoChunks_oneByteMoreDoes() {
    assertFalse(RuleChunks.needsChunks(100, 100));
    assertTrue(RuleChunks.needsChunks(101, 100));
    assertEquals(1, RuleChunks.count(100, 100));
    assertEquals(2, RuleChunks.count(101, 100));
  }

  @Test
  void chunks_joinToThePayload_inOrder_noneLargerThanTheChunkSize() {
    ByteString payload = ByteString.copyFromUtf8("x".repeat(250) + "é".repeat(100));
    int count = RuleChunks.count(payload.size(), 64);
    ByteString joined = ByteString.EMPTY;
    for (int i = 0; i < count; i++) {
      RuleChunk chunk = RuleChunks.chunk(5, payload, 64, i).getRuleChunk();
      assertEquals(5, chunk.getGeneration());
      assertEquals(i, chunk.getIndex());
      assertTrue(chunk.getData().size() <= 64);
      joined = joined.concat(chunk.getData());
    }
    assertEquals(payload, joined);
    assertThrows(IndexOutOfBoundsException.class, () -> RuleChunks.chunk(5, payload, 64, count));
  }

  @Test
  void firstMessage_keepsTheSignedFields_announcesSizeAndCount_carriesNoRules() {
    ByteString payload = ByteString.copyFromUtf8("y".repeat(1000));
    ControllerMessage first = RuleChunks.first(SIGNED, payload, 300);

    DesiredState state = first.getDesiredState();
    assertEquals(SIGNED.getSignedHeader(), state.getSignedHeader());
    assertEquals(SIGNED.getSignature(), state.getSignature());
    assertEquals(5, state.getGeneration());
    assertEquals("", state.getRules());
    assertFalse(state.hasDelta());
    assertEquals(1000, state.getChunked().getTotalBytes());
    assertEquals(4, state.getChunked().getChunkCount());
  }

  @Test
  void firstMessage_carriesNoRulesEither_whenTheyCameAsEncodedBytes() throws Exception {
    DesiredState encoded = SIGNED.toBuilder().clearRules()
        .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
            .addField(DesiredState.RULES_FIELD_NUMBER, com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(ByteString.copyFromUtf8("x".repeat(1000))).build())
            .build())
        .build();

    ControllerMessage first = RuleChunks.first(encoded, ByteString.copyFromUtf8("x".repeat(1000)), 300);

    DesiredState read = ControllerMessage.parseFrom(first.toByteString()).getDesiredState();
    assertEquals("", read.getRules());
    assertEquals(1000, read.getChunked().getTotalBytes());
  }
}
