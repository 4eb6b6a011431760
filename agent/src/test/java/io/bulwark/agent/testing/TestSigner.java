package io.bulwark.agent.testing;

import com.google.protobuf.ByteString;
import io.bulwark.agent.bundle.BundleCheck;
import io.bulwark.agent.bundle.RuleBundle;
import io.bulwark.chunk.RuleChunks;
import io.bulwark.proto.agent.v1.BundleHeader;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.DesiredState;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs bundles the way the controller does, with its own Ed25519 key. {@link #header} gives a
 * builder with sensible values that a test changes to make the one bad field it is about.
 */
public final class TestSigner {

  private final KeyPair key;

  public TestSigner() {
    try {
      key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public PublicKey publicKey() {
    return key.getPublic();
  }

  /** A header for {@code rules}, issued at {@code now} and valid for an hour. */
  public static BundleHeader.Builder header(
      String device, long generation, String rules, Instant now) {
    return BundleHeader.newBuilder()
        .setDevice(device)
        .setGeneration(generation)
        .setDigest(BundleCheck.sha256Hex(rules))
        .setIssuedAtMillis(now.toEpochMilli())
        .setExpiresAtMillis(now.plus(Duration.ofHours(1)).toEpochMilli())
        .setTarget("nftables");
  }

  public byte[] sign(byte[] message) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key.getPrivate());
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A bundle carrying {@code header}, signed, with {@code rules}. */
  public RuleBundle bundle(BundleHeader header, String rules) {
    byte[] bytes = header.toByteArray();
    return new RuleBundle(
        header.getGeneration(), header.getTarget(), rules, header.getDigest(), bytes, sign(bytes));
  }

  /** The wire form of {@link #bundle}. */
  public DesiredState desiredState(BundleHeader header, String rules) {
    byte[] bytes = header.toByteArray();
    return DesiredState.newBuilder()
        .setGeneration(header.getGeneration())
        .setTarget(header.getTarget())
        .setRules(rules)
        .setDigest(header.getDigest())
        .setSignedHeader(ByteString.copyFrom(bytes))
        .setSignature(ByteString.copyFrom(sign(bytes)))
        .build();
  }

  /**
   * The messages of a chunked transfer of {@code payload} (UTF-8 rules, or a serialized delta
   * when the header has a base generation), as the controller sends it.
   */
  public List<ControllerMessage> chunked(BundleHeader header, ByteString payload, int chunkBytes) {
    List<ControllerMessage> messages = new ArrayList<>();
    messages.add(RuleChunks.first(desiredState(header, ""), payload, chunkBytes));
    for (int i = 0; i < RuleChunks.count(payload.size(), chunkBytes); i++) {
      messages.add(RuleChunks.chunk(header.getGeneration(), payload, chunkBytes, i));
    }
    return messages;
  }
}
