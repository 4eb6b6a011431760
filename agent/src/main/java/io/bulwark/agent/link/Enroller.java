package io.bulwark.agent.link;

import com.google.protobuf.ByteString;
import io.bulwark.agent.AgentException;
import io.bulwark.agent.bundle.SigningKeyPin;
import io.bulwark.agent.config.ConfigException;
import io.bulwark.agent.config.HostPort;
import io.bulwark.agent.config.TokenFile;
import io.bulwark.agent.host.DataDir;
import io.bulwark.agent.host.Pem;
import io.bulwark.agent.outbox.StatusOutbox;
import io.bulwark.proto.enrollment.v1.EnrollRequest;
import io.bulwark.proto.enrollment.v1.EnrollResponse;
import io.bulwark.proto.enrollment.v1.EnrollmentServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exchanges a one-time token for a device certificate.
 *
 * <p>The key pair is made here, on the host, and written to {@code agent.key} (mode 0600) before
 * the controller is contacted; only a PKCS#10 request leaves the host. The controller is trusted
 * only through the pin in the token file ({@link PinnedCaTrustManager}), and the CA it returns is
 * checked against the pin again. On success the certificate, the CA and the controller's bundle
 * signing key (pinned from now on) are stored, the controller
 * address is remembered and the token file is deleted. The token is never logged. One enrollment at
 * a time per data dir; not meant for concurrent use.
 */
public final class Enroller {

  private static final Logger log = LoggerFactory.getLogger(Enroller.class);
  private static final long DEADLINE_SECONDS = 30;

  private final HostPort controller;
  private final DataDir dataDir;
  private final ChannelFactory channels;
  private final Clock clock;
  private final String agentVersion;

  /**
   * @param controller the address to dial; null to use the token file's {@code controller}
   */
  public Enroller(
      HostPort controller,
      DataDir dataDir,
      ChannelFactory channels,
      Clock clock,
      String agentVersion) {
    this.controller = controller;
    this.dataDir = dataDir;
    this.channels = channels;
    this.clock = clock;
    this.agentVersion = agentVersion;
  }

  /**
   * Reads {@code tokenFile} and enrolls with it.
   *
   * @throws ConfigException when the token file is missing or malformed
   * @throws EnrollmentException when enrollment fails; the data dir then holds no certificate
   */
  public EnrollmentResult enroll(Path tokenFile) {
    return enroll(TokenFile.read(tokenFile));
  }

  /** Enrolls with an already parsed token file; see {@link #enroll(Path)}. */
  public EnrollmentResult enroll(TokenFile token) {
    HostPort target = controller != null ? controller : token.controller();
    if (target == null) {
      throw new ConfigException(
          "no controller address: pass --controller (token file "
              + token.path()
              + " has no 'controller')");
    }
    if (token.expires() != null && token.expires().isBefore(clock.instant())) {
      log.warn(
          "the token in {} expired at {}; the controller will probably refuse it",
          token.path(),
          token.expires());
    }
    dataDir.prepare();
    KeyPair keys = generateKey();
    try {
      Pem.writePrivateKey(dataDir.privateKey(), keys.getPrivate());
    } catch (IOException e) {
      throw new EnrollmentException(
          "cannot write " + dataDir.privateKey() + ": " + e.getMessage(), e);
    }
    EnrollRequest request =
        EnrollRequest.newBuilder()
            .setToken(token.token())
            .setCsrDer(ByteString.copyFrom(certificationRequest(token.device(), keys)))
            .setAgentVersion(agentVersion)
            .build();
    log.info("enrolling as {} with the controller at {}", token.device(), target);
    EnrollResponse response = call(target, new PinnedCaTrustManager(token.caPin()), request);
    EnrollmentResult result = accept(response, keys, token);
    if (response.getFirstStatusSequence() > 0) {
      // Before the certificate: an agent that has one numbers its reports as this enrollment says.
      try {
        StatusOutbox.numberFrom(dataDir.outbox(), response.getFirstStatusSequence());
      } catch (IOException e) {
        throw new EnrollmentException("cannot write " + dataDir.outbox() + ": " + e.getMessage(), e);
      }
    }
    store(result, target);
    try {
      Files.deleteIfExists(token.path());
    } catch (IOException e) {
      log.warn("could not delete the used token file {}: {}", token.path(), e.toString());
    }
    log.info(
        "enrolled as {}, certificate valid until {}",
        result.device(),
        result.certificateNotAfter());
    return result;
  }

  private EnrollResponse call(HostPort target, PinnedCaTrustManager trust, EnrollRequest request) {
    ManagedChannel channel = channels.enrollmentChannel(target, trust);
    try {
      return EnrollmentServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
          .enroll(request);
    } catch (StatusRuntimeException e) {
      throw translate(e, target);
    } finally {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static EnrollmentException translate(StatusRuntimeException e, HostPort target) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateException refused) {
        return new EnrollmentException(
            "cannot enroll: the controller at "
                + target
                + " was not trusted: "
                + refused.getMessage(),
            e);
      }
    }
    Status status = e.getStatus();
    String description = StatusText.reason(status);
    return switch (status.getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED ->
          new EnrollmentException(
              "cannot enroll: controller at " + target + " unreachable: " + description, e);
      case UNKNOWN, INTERNAL, UNIMPLEMENTED, RESOURCE_EXHAUSTED, DATA_LOSS ->
          new EnrollmentException("enrollment failed on the controller: " + description, e);
      default -> new EnrollmentException("enrollment refused: " + description, e);
    };
  }

  private EnrollmentResult accept(EnrollResponse response, KeyPair keys, TokenFile token) {
    int count = response.getCertificateChainDerCount();
    if (count < 2) {
      throw new EnrollmentException(
          "the controller answered with "
              + count
              + " certificate(s); expected the agent certificate and the CA");
    }
    List<X509Certificate> chain = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      chain.add(
          Pem.certificate(
              response.getCertificateChainDer(i).toByteArray(),
              "certificate " + (i + 1) + " of the enrollment response"));
    }
    X509Certificate leaf = chain.get(0);
    X509Certificate ca = chain.get(count - 1);
    if (!Arrays.equals(leaf.getPublicKey().getEncoded(), keys.getPublic().getEncoded())) {
      throw new EnrollmentException("the controller issued a certificate for another key");
    }
    String caPin = SpkiPin.of(ca);
    if (!caPin.equals(token.caPin())) {
      throw new EnrollmentException(
          "the CA in the enrollment response does not match the pin in "
              + "the token file: expected "
              + token.caPin()
              + ", got "
              + caPin);
    }
    try {
      for (int i = 0; i < count - 1; i++) {
        chain.get(i).verify(chain.get(i + 1).getPublicKey());
      }
    } catch (GeneralSecurityException e) {
      throw new EnrollmentException(
          "the certificate chain from the controller does not verify: " + e.getMessage(), e);
    }
    String device;
    try {
      device = AgentIdentity.deviceOf(leaf);
    } catch (AgentException e) {
      throw new EnrollmentException(e.getMessage(), e);
    }
    if (!device.equals(token.device())) {
      throw new EnrollmentException(
          "the token file "
              + token.path()
              + " is for device "
              + token.device()
              + " but the controller issued a certificate for "
              + device);
    }
    if (!response.getDevice().isEmpty() && !response.getDevice().equals(device)) {
      throw new EnrollmentException(
          "the controller named the device "
              + response.getDevice()
              + " but its certificate names "
              + device);
    }
    AgentIdentity identity = new AgentIdentity(keys.getPrivate(), chain.subList(0, count - 1), ca);
    PublicKey signingKey;
    try {
      signingKey =
          SigningKeyPin.parse(
              response.getBundleSigningKey().toByteArray(),
              "the bundle signing key in the enrollment response");
    } catch (AgentException e) {
      throw new EnrollmentException(e.getMessage(), e);
    }
    return new EnrollmentResult(device, response.getTarget(), identity, signingKey);
  }

  private void store(EnrollmentResult result, HostPort target) {
    AgentIdentity identity = result.identity();
    try {
      // agent.crt last: its presence is what marks the data dir as enrolled.
      SigningKeyPin.write(dataDir.bundleSigningKey(), result.bundleSigningKey());
      Pem.writeCertificates(dataDir.caCertificate(), List.of(identity.ca()));
      Pem.writeCertificates(dataDir.certificate(), identity.certificateChain());
      dataDir.rememberController(target);
    } catch (IOException e) {
      throw new EnrollmentException(
          "enrolled, but cannot store the certificate in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  static KeyPair generateKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new EnrollmentException("cannot generate an EC P-256 key: " + e.getMessage(), e);
    }
  }

  static byte[] certificationRequest(String device, KeyPair keys) {
    try {
      return new JcaPKCS10CertificationRequestBuilder(
              new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, device).build(),
              keys.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
          .getEncoded();
    } catch (OperatorCreationException | IOException e) {
      throw new EnrollmentException("cannot build the certificate request: " + e.getMessage(), e);
    }
  }
}
