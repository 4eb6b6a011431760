package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.bulwark.controller.pki.CertificateAuthority;
import io.bulwark.controller.testing.MutableClock;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;

/** The key material the listeners serve: the server's own key and chain, for its key type only. */
class ServerKeysTest {
  @Test
  void serverKeys_holdTheServerKeyAndChain() throws Exception {
    var ca = CertificateAuthority.create("Test CA", new MutableClock(Instant.now()));
    var server = ca.issueServer(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()), Duration.ofDays(1));

    var keys = (X509KeyManager) ControllerServers.serverKeys(server).getKeyManagers()[0];

    String alias = keys.chooseServerAlias(server.key().getAlgorithm(), null, null);
    assertNotNull(alias, "an alias for the server key's type");
    assertArrayEquals(new X509Certificate[] {server.certificate(), server.ca()}, keys.getCertificateChain(alias));
    assertEquals(server.key().getAlgorithm(), keys.getPrivateKey(alias).getAlgorithm());
    assertArrayEquals(server.key().getEncoded(), keys.getPrivateKey(alias).getEncoded());
    assertNull(keys.chooseServerAlias("DSA", null, null), "no alias for a key type it does not hold");
  }
}
