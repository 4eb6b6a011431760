package io.bulwark.agent.link;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Objects;

/**
 * A successful enrollment: the credentials now stored in the data dir.
 *
 * @param device the device name the certificate was issued for
 * @param target the rule-set kind the controller will send, for example "nftables"
 * @param bundleSigningKey the controller's Ed25519 key, pinned for verifying bundles
 */
public record EnrollmentResult(
    String device, String target, AgentIdentity identity, PublicKey bundleSigningKey) {

  public EnrollmentResult {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(bundleSigningKey, "bundleSigningKey");
  }

  public Instant certificateNotAfter() {
    return identity.notAfter();
  }
}
