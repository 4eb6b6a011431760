package io.bulwark.agent.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * Runs a TLS handshake between two {@link SSLEngine}s in memory, so trust managers are tested
 * exactly as Netty drives them (through the engine, with endpoint identification) without sockets.
 */
public final class TlsHandshake {

  private TlsHandshake() {}

  /**
   * Handshakes a client trusting with {@code trust} and dialling {@code host} with a server
   * presenting {@code server}.
   *
   * @throws SSLException when either side refuses
   */
  public static void run(TrustManager trust, String host, TestPki.Issued server)
      throws SSLException, GeneralSecurityException {
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, new TrustManager[] {trust}, null);
    SSLEngine client = clientContext.createSSLEngine(host, 443);
    client.setUseClientMode(true);
    SSLParameters parameters = client.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    client.setSSLParameters(parameters);

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try {
      keys.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    keys.setKeyEntry(
        "server",
        server.key().getPrivate(),
        new char[0],
        server.chain().toArray(new X509Certificate[0]));
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
    keyManagers.init(keys, new char[0]);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(keyManagers.getKeyManagers(), null, null);
    SSLEngine serverEngine = serverContext.createSSLEngine();
    serverEngine.setUseClientMode(false);

    handshake(client, serverEngine);
  }

  private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
    int packet =
        Math.max(
            client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
    int app =
        Math.max(
            client.getSession().getApplicationBufferSize(),
            server.getSession().getApplicationBufferSize());
    ByteBuffer toServer = ByteBuffer.allocate(packet * 4);
    ByteBuffer toClient = ByteBuffer.allocate(packet * 4);
    ByteBuffer clientIn = ByteBuffer.allocate(app * 4);
    ByteBuffer serverIn = ByteBuffer.allocate(app * 4);
    ByteBuffer empty = ByteBuffer.allocate(0);
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 100; round++) {
      client.wrap(empty, toServer);
      runTasks(client);
      server.wrap(empty, toClient);
      runTasks(server);
      toServer.flip();
      server.unwrap(toServer, serverIn);
      runTasks(server);
      toServer.compact();
      toClient.flip();
      client.unwrap(toClient, clientIn);
      runTasks(client);
      toClient.compact();
      if (done(client) && done(server) && toServer.position() == 0 && toClient.position() == 0) {
        return;
      }
    }
    throw new IllegalStateException("the handshake did not finish");
  }

  private static boolean done(SSLEngine engine) {
    HandshakeStatus status = engine.getHandshakeStatus();
    return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
  }

  private static void runTasks(SSLEngine engine) {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }
}
