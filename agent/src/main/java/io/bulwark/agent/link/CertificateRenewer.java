package io.bulwark.agent.link;

import com.google.protobuf.ByteString;
import io.bulwark.agent.AgentException;
import io.bulwark.agent.host.DataDir;
import io.bulwark.agent.host.Pem;
import io.bulwark.proto.agent.v1.AgentServiceGrpc;
import io.bulwark.proto.agent.v1.RenewRequest;
import io.bulwark.proto.agent.v1.RenewResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renews the agent's certificate with a new key over its current mutual TLS, before it expires.
 *
 * <p>Renewal is due two thirds into the certificate's lifetime, less up to a tenth of the lifetime
 * as jitter so that agents enrolled together do not all renew at once. The new key is made here
 * and never leaves the host. The answer is checked like an enrollment answer (the leaf carries the
 * new key, names the same device and chains to the pinned CA) before anything is stored. Files
 * are replaced so that a crash at any point leaves a usable key and certificate: the old key is
 * kept as {@code agent.key.previous} until the new certificate is in place ({@link
 * AgentIdentity#load} falls back to it). Not thread-safe; the agent renews from one thread.
 */
public final class CertificateRenewer {

  private static final long DEADLINE_SECONDS = 30;

  private final DataDir dataDir;

  public CertificateRenewer(DataDir dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * How long from {@code now} until {@code identity} should be renewed; zero when overdue.
   *
   * @param jitter in [0, 1): how much of the allowed tenth of the lifetime to renew early
   */
  public static Duration delayUntilRenewal(AgentIdentity identity, Instant now, double jitter) {
    Instant from = identity.certificate().getNotBefore().toInstant();
    long lifetime = Duration.between(from, identity.notAfter()).toMillis();
    long offset = (long) (lifetime * (2.0 / 3.0 - 0.1 * jitter));
    Duration delay = Duration.between(now, from.plusMillis(offset));
    return delay.isNegative() ? Duration.ZERO : delay;
  }

  /**
   * Renews {@code current} over {@code channel} (which presents it) and stores the result.
   *
   * @return the new identity
   * @throws EnrollmentException when the controller refuses or answers badly; nothing changed
   */
  public AgentIdentity renew(AgentIdentity current, ManagedChannel channel) {
    KeyPair keys = Enroller.generateKey();
    RenewResponse response;
    try {
      response =
          AgentServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .renew(
                  RenewRequest.newBuilder()
                      .setCsrDer(
                          ByteString.copyFrom(Enroller.certificationRequest(current.device(), keys)))
                      .build());
    } catch (StatusRuntimeException e) {
      throw new EnrollmentException("renewal refused: " + StatusText.reason(e.getStatus()), e);
    }
    AgentIdentity renewed = check(current, keys, response);
    store(current, renewed);
    return renewed;
  }

  private static AgentIdentity check(AgentIdentity current, KeyPair keys, RenewResponse response) {
    List<X509Certificate> chain = new ArrayList<>();
    for (ByteString der : response.getCertificateChainDerList()) {
      chain.add(Pem.certificate(der.toByteArray(), "the renewal response"));
    }
    if (chain.size() < 2) {
      throw new EnrollmentException("the renewal response holds " + chain.size() + " certificate(s)");
    }
    X509Certificate leaf = chain.get(0);
    if (!Arrays.equals(leaf.getPublicKey().getEncoded(), keys.getPublic().getEncoded())) {
      throw new EnrollmentException("the controller renewed a certificate for another key");
    }
    try {
      for (int i = 0; i < chain.size() - 1; i++) {
        chain.get(i).verify(chain.get(i + 1).getPublicKey());
      }
      chain.get(chain.size() - 1).verify(current.ca().getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new EnrollmentException("the renewed certificate does not chain to the pinned CA", e);
    }
    String device;
    try {
      device = AgentIdentity.deviceOf(leaf);
    } catch (AgentException e) {
      throw new EnrollmentException(e.getMessage(), e);
    }
    if (!device.equals(current.device())) {
      throw new EnrollmentException("the renewed certificate names " + device + ", not " + current.device());
    }
    return new AgentIdentity(keys.getPrivate(), chain.subList(0, chain.size() - 1), current.ca());
  }

  private void store(AgentIdentity current, AgentIdentity renewed) {
    try {
      Pem.writePrivateKey(dataDir.resolve("agent.key.previous"), current.privateKey());
      Pem.writePrivateKey(dataDir.privateKey(), renewed.privateKey());
      Pem.writeCertificates(dataDir.certificate(), renewed.certificateChain());
      Files.deleteIfExists(dataDir.resolve("agent.key.previous"));
    } catch (IOException e) {
      throw new EnrollmentException("renewed, but cannot store the certificate: " + e.getMessage(), e);
    }
  }
}
