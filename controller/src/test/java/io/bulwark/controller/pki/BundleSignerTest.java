package io.bulwark.controller.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.api.SignedBundles;
import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.proto.agent.v1.BundleHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleSignerTest {

  @TempDir Path dir;

  @Test
  void loadOrCreate_writesThePrivateKey0600_andLoadsTheSameKeyAgain() throws Exception {
    BundleSigner first = BundleSigner.loadOrCreate(dir);
    BundleSigner again = BundleSigner.loadOrCreate(dir);

    assertArrayEquals(first.publicKeyDer(), again.publicKeyDer());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("bundle-signing.key"))));
  }

  @Test
  void signedBundle_carriesTheHeaderFields_andItsSignatureVerifiesOverTheExactBytes() throws Exception {
    BundleSigner signer = BundleSigner.create();
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    var wire = io.bulwark.proto.agent.v1.DesiredState.parseFrom(
        new SignedBundles(signer, clock).sign(new DesiredState("web-1", 4, "nftables", "rules\n", "ab".repeat(32))).toByteString());

    BundleHeader header = BundleHeader.parseFrom(wire.getSignedHeader());
    assertEquals("web-1", header.getDevice());
    assertEquals(4, header.getGeneration());
    assertEquals("ab".repeat(32), header.getDigest());
    assertEquals(0, header.getBaseGeneration());
    assertEquals("rules\n", wire.getRules());
    assertEquals(clock.instant().toEpochMilli(), header.getIssuedAtMillis());
    assertEquals(clock.instant().plus(SignedBundles.DEFAULT_VALIDITY).toEpochMilli(), header.getExpiresAtMillis());
    Signature verify = Signature.getInstance("Ed25519");
    verify.initVerify(signer.publicKey());
    verify.update(wire.getSignedHeader().toByteArray());
    assertTrue(verify.verify(wire.getSignature().toByteArray()));
  }
}
