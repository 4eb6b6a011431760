package io.bulwark.controller.cli;

import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerInfo;
import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.controller.pki.PemFiles;
import io.bulwark.proto.admin.v1.AdminServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A mutually authenticated connection to a running controller's admin API, found through the
 * data directory: the address in {@code controller.properties}, the local admin credentials in
 * {@code pki/}. The server certificate must chain to the controller's CA and name the address.
 */
public final class AdminClient implements AutoCloseable {
  private static final long DEADLINE_SECONDS = 60;
  private final ManagedChannel channel;

  private AdminClient(ManagedChannel channel) {
    this.channel = channel;
  }

  /** Connects to the controller whose data directory is {@code dataDir}. */
  public static AdminClient open(Path dataDir) {
    ControllerInfo info = ControllerInfo.readFrom(dataDir);
    var creds = ControllerInfo.AdminCredentials.in(dataDir);
    for (Path p : new Path[] {creds.key(), creds.certificate(), creds.ca()}) {
      if (!Files.isReadable(p)) {
        throw new BulwarkException("cannot read the admin credentials " + p + " (run as the controller's user)");
      }
    }
    return connect(info.adminAddress(), PemFiles.readPrivateKey(creds.key()),
        PemFiles.readCertificates(creds.certificate()).get(0), PemFiles.readCertificates(creds.ca()).get(0));
  }

  /**
   * Connects with a user's credentials file (key, certificate and CA as PEM, with an
   * {@code # admin_address=HOST:PORT} line); without that line the address comes from
   * {@code dataDir}.
   */
  public static AdminClient openWithCredentials(Path credentials, Path dataDir) {
    String text;
    try {
      text = Files.readString(credentials);
    } catch (java.io.IOException e) {
      throw new BulwarkException.Usage("cannot read credentials " + credentials + ": " + e.getMessage());
    }
    String address = text.lines().filter(l -> l.startsWith("# admin_address=")).map(l -> l.substring(16).trim())
        .findFirst().orElseGet(() -> ControllerInfo.readFrom(dataDir).adminAddress());
    List<X509Certificate> certs = PemFiles.readCertificates(credentials);
    if (certs.size() < 2) {
      throw new BulwarkException.Usage(credentials + " must hold the user's certificate and the CA certificate");
    }
    return connect(address, PemFiles.readPrivateKey(credentials), certs.get(0), certs.get(certs.size() - 1));
  }

  private static AdminClient connect(String adminAddress, java.security.PrivateKey key, X509Certificate cert,
      X509Certificate ca) {
    InetSocketAddress address = ControllerConfig.parseAddress("admin_address", adminAddress);
    try {
      var ssl = GrpcSslContexts.forClient().keyManager(key, cert).trustManager(ca).build();
      return new AdminClient(NettyChannelBuilder.forAddress(address.getHostString(), address.getPort())
          .sslContext(ssl).maxInboundMessageSize(64 << 20).build());
    } catch (SSLException e) {
      throw new BulwarkException("cannot set up TLS to the controller: " + e.getMessage(), e);
    }
  }

  /** A blocking stub with a deadline, for one call. */
  public AdminServiceGrpc.AdminServiceBlockingStub stub() {
    return AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** An async stub without a deadline, for calls that last as long as their input (an upload). */
  public AdminServiceGrpc.AdminServiceStub asyncStub() {
    return AdminServiceGrpc.newStub(channel);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
