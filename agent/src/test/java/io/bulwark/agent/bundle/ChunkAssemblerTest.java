package io.bulwark.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.bulwark.agent.testing.TestSigner;
import io.bulwark.delta.LineDelta;
import io.bulwark.proto.agent.v1.BundleHeader;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.DesiredState;
import io.bulwark.proto.agent.v1.RuleChunk;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkAssemblerTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final int CHUNK = 1000;

  @TempDir Path spool;

  private final TestSigner controller = new TestSigner();
  private final BundleVerifier verifier =
      new BundleVerifier("web-01", controller.publicKey(), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void chunksInOrder_joinToTheSignedRules_andLeaveNoSpoolFile() throws IOException {
    String rules = rules(500);
    List<ControllerMessage> messages = transfer(7, rules);
    assertTrue(messages.size() > 4, "several chunks: " + messages.size());

    ChunkAssembler.Step last = feedAll(assembler(), messages);

    RuleBundle bundle = assertInstanceOf(ChunkAssembler.Assembled.class, last).bundle();
    assertEquals(rules, bundle.rules());
    assertEquals(7, bundle.generation());
    assertNull(bundle.delta());
    assertInstanceOf(BundleVerifier.Verified.class, verifier.verify(bundle, 0));
    assertEquals(0, spoolFiles());
  }

  @Test
  void stepsBeforeTheLast_wait() {
    List<ControllerMessage> messages = transfer(7, rules(300));
    ChunkAssembler assembler = assembler();
    for (ControllerMessage m : messages.subList(0, messages.size() - 1)) {
      assertInstanceOf(ChunkAssembler.Waiting.class, feed(assembler, m));
    }
  }

  @Test
  void chunksOutOfOrder_areRefused_naming_theChunks() {
    List<ControllerMessage> messages = new ArrayList<>(transfer(7, rules(300)));
    ControllerMessage second = messages.remove(2);
    messages.add(3, second);

    ChunkAssembler.Refused refused = firstRefusal(assembler(), messages);

    assertEquals(7, refused.generation());
    assertTrue(refused.reason().contains("chunk 2 arrived where chunk 1 was expected"), refused.reason());
  }

  @Test
  void missingChunk_isRefused() {
    List<ControllerMessage> messages = new ArrayList<>(transfer(7, rules(300)));
    messages.remove(3);

    ChunkAssembler.Refused refused = firstRefusal(assembler(), messages);

    assertTrue(refused.reason().contains("missing or out of order"), refused.reason());
  }

  @Test
  void missingLastChunk_neverAssembles() {
    List<ControllerMessage> messages = transfer(7, rules(300));
    ChunkAssembler.Step last = feedAll(assembler(), messages.subList(0, messages.size() - 1));
    assertInstanceOf(ChunkAssembler.Waiting.class, last);
  }

  @Test
  void duplicateChunk_isRefused_andTheRestIsIgnored() {
    List<ControllerMessage> messages = new ArrayList<>(transfer(7, rules(300)));
    messages.add(3, messages.get(2));
    ChunkAssembler assembler = assembler();

    ChunkAssembler.Refused refused = firstRefusal(assembler, messages);

    assertTrue(refused.reason().contains("chunk 1 arrived twice"), refused.reason());
    assertInstanceOf(ChunkAssembler.Ignored.class, feed(assembler, messages.get(4)));
    assertEquals(0, spoolFiles());
  }

  @Test
  void alteredChunk_isRefusedForItsDigest_neverAssembled() {
    List<ControllerMessage> messages = new ArrayList<>(transfer(7, rules(300)));
    messages.set(2, altered(messages.get(2)));

    ChunkAssembler.Step last = feedAll(assembler(), messages);

    String reason = assertInstanceOf(ChunkAssembler.Refused.class, last).reason();
    assertTrue(reason.contains("digest mismatch"), reason);
    assertEquals(0, spoolFiles());
  }

  @Test
  void transferLargerThanTheLimit_isRefusedAtOnce_namingTheSize() {
    List<ControllerMessage> messages = transfer(7, rules(300));
    ChunkAssembler small = new ChunkAssembler(verifier, spool, 4096);

    ChunkAssembler.Step first = feed(small, messages.get(0));

    String reason = assertInstanceOf(ChunkAssembler.Refused.class, first).reason();
    long total = messages.get(0).getDesiredState().getChunked().getTotalBytes();
    assertTrue(reason.contains(total + " bytes") && reason.contains("limit of 4096 bytes"), reason);
    assertInstanceOf(ChunkAssembler.Ignored.class, feed(small, messages.get(1)));
  }

  @Test
  void chunkBeyondTheAnnouncedSize_isRefused() {
    List<ControllerMessage> messages = new ArrayList<>(transfer(7, rules(300)));
    DesiredState first = messages.get(0).getDesiredState();
    long total = first.getChunked().getTotalBytes();
    messages.set(0, ControllerMessage.newBuilder().setDesiredState(first.toBuilder()
        .setChunked(first.getChunked().toBuilder().setTotalBytes(total - 10))).build());

    String reason = firstRefusal(assembler(), messages).reason();

    assertTrue(reason.contains("more than the announced " + (total - 10) + " bytes"), reason);
  }

  @Test
  void forgedFirstMessage_isRefusedBeforeAnyChunkIsTaken() {
    List<ControllerMessage> forged =
        new TestSigner().chunked(header(7, rules(300)).build(), utf8(rules(300)), CHUNK);
    ChunkAssembler assembler = assembler();

    String reason = assertInstanceOf(ChunkAssembler.Refused.class, feed(assembler, forged.get(0))).reason();

    assertTrue(reason.contains("bad signature"), reason);
    assertInstanceOf(ChunkAssembler.Ignored.class, feed(assembler, forged.get(1)));
    assertEquals(0, spoolFiles());
  }

  @Test
  void newerGeneration_midTransfer_abandonsTheOlder() {
    List<ControllerMessage> older = transfer(7, rules(300));
    String newer = rules(400);
    ChunkAssembler assembler = assembler();
    feedAll(assembler, older.subList(0, 3));

    ChunkAssembler.Step last = feedAll(assembler, transfer(8, newer));

    assertEquals(newer, assertInstanceOf(ChunkAssembler.Assembled.class, last).bundle().rules());
    assertEquals(0, spoolFiles());
  }

  @Test
  void chunkOfAnotherGeneration_midTransfer_isRefused() {
    List<ControllerMessage> messages = new ArrayList<>(transfer(7, rules(300)));
    messages.add(2, transfer(8, rules(300)).get(2));

    String reason = firstRefusal(assembler(), messages).reason();

    assertTrue(reason.contains("generation 8 arrived during the transfer of generation 7"), reason);
  }

  @Test
  void chunkedDelta_isCheckedAgainstItsSignedDigest_thenParsed() {
    String base = rules(300);
    String target = base.replace("10.0.0.7,", "10.9.9.9,") + rules(200);
    RuleDelta delta = LineDelta.between(base, target);
    ByteString bytes = delta.toByteString();
    BundleHeader header = header(8, target).setBaseGeneration(7).setPayloadDigest(sha256(bytes)).build();
    List<ControllerMessage> messages = controller.chunked(header, bytes, 200);
    assertTrue(messages.size() > 2, "several chunks");

    RuleBundle bundle =
        assertInstanceOf(ChunkAssembler.Assembled.class, feedAll(assembler(), messages)).bundle();

    assertEquals(delta, bundle.delta());
    var verified = verifier.verify(bundle, 7, g -> g == 7 ? java.util.Optional.of(base) : java.util.Optional.empty());
    assertEquals(target, assertInstanceOf(BundleVerifier.Verified.class, verified).rules());
  }

  @Test
  void chunkedDeltaWithoutSignedPayloadDigest_isRefused() {
    ByteString bytes = LineDelta.between(rules(10), rules(20)).toByteString();
    BundleHeader header = header(8, rules(20)).setBaseGeneration(7).build();

    ChunkAssembler.Step first = feed(assembler(), controller.chunked(header, bytes, 100).get(0));

    assertTrue(assertInstanceOf(ChunkAssembler.Refused.class, first).reason().contains("payload digest"));
  }

  @Test
  void leftoverSpoolFiles_areDeleted() throws IOException {
    feedAll(assembler(), transfer(7, rules(300)).subList(0, 3));
    assertEquals(1, spoolFiles());

    ChunkAssembler.deleteLeftovers(spool);

    assertEquals(0, spoolFiles());
  }

  private ChunkAssembler assembler() {
    return new ChunkAssembler(verifier, spool, ChunkAssembler.DEFAULT_MAX_BYTES);
  }

  private List<ControllerMessage> transfer(long generation, String rules) {
    return controller.chunked(header(generation, rules).build(), utf8(rules), CHUNK);
  }

  private static BundleHeader.Builder header(long generation, String rules) {
    return TestSigner.header("web-01", generation, rules, NOW);
  }

  /** A set of {@code n} addresses, one element a line, as the nftables generator writes it. */
  private static String rules(int n) {
    StringBuilder text = new StringBuilder("table inet bulwark {\n\tset blocked {\n\t\telements = {\n");
    for (int i = 0; i < n; i++) {
      text.append("\t\t\t10.0.").append(i / 250).append('.').append(i % 250).append(",\n");
    }
    return text.append("\t\t}\n\t}\n}\n").toString();
  }

  private static String sha256(ByteString bytes) {
    try {
      return java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ByteString utf8(String text) {
    return ByteString.copyFromUtf8(text);
  }

  private static ControllerMessage altered(ControllerMessage chunk) {
    byte[] data = chunk.getRuleChunk().getData().toByteArray();
    data[data.length / 2] ^= 1;
    return ControllerMessage.newBuilder()
        .setRuleChunk(chunk.getRuleChunk().toBuilder().setData(ByteString.copyFrom(data)))
        .build();
  }

  private static ChunkAssembler.Step feed(ChunkAssembler assembler, ControllerMessage message) {
    if (message.hasRuleChunk()) {
      RuleChunk chunk = message.getRuleChunk();
      return assembler.chunk(chunk.getGeneration(), chunk.getIndex(), chunk.getData().asReadOnlyByteBuffer());
    }
    DesiredState d = message.getDesiredState();
    RuleBundle first = new RuleBundle(d.getGeneration(), d.getTarget(), d.getRules(), d.getDigest(),
        d.getSignedHeader().toByteArray(), d.getSignature().toByteArray());
    return assembler.begin(first, d.getChunked().getTotalBytes(), d.getChunked().getChunkCount());
  }

  private static ChunkAssembler.Step feedAll(ChunkAssembler assembler, List<ControllerMessage> messages) {
    ChunkAssembler.Step last = null;
    for (ControllerMessage m : messages) {
      last = feed(assembler, m);
    }
    return last;
  }

  private static ChunkAssembler.Refused firstRefusal(ChunkAssembler assembler, List<ControllerMessage> messages) {
    for (ControllerMessage m : messages) {
      if (feed(assembler, m) instanceof ChunkAssembler.Refused refused) {
        return refused;
      }
    }
    throw new AssertionError("the transfer was not refused");
  }

  private long spoolFiles() {
    try (Stream<Path> files = Files.list(spool)) {
      return files.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
