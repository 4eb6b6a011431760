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
    InetSocketAddress address = ControllerConfig.parseAddress("admin_address", info.adminAddress());
    try {
      var ssl =
          GrpcSslContexts.forClient()
              .keyManager(
                  PemFiles.readPrivateKey(creds.key()),
                  PemFiles.readCertificates(creds.certificate()).toArray(X509Certificate[]::new))
              .trustManager(PemFiles.readCertificates(creds.ca()).toArray(X509Certificate[]::new))
              .build();
      ManagedChannel channel =
          NettyChannelBuilder.forAddress(address.getHostString(), address.getPort())
              .sslContext(ssl)
              .maxInboundMessageSize(64 << 20)
              .build();
      return new AdminClient(channel);
    } catch (SSLException e) {
      throw new BulwarkException("cannot set up TLS to the controller: " + e.getMessage(), e);
    }
  }

  /** A blocking stub with a deadline, for one call. */
  public AdminServiceGrpc.AdminServiceBlockingStub stub() {
    return AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
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
