package io.bulwark.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.testing.TestPki;
import io.bulwark.agent.testing.TlsHandshake;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

class PinnedCaTrustManagerTest {

  private static final TestPki CONTROLLER = TestPki.create("Bulwark CA");
  private static final TestPki OTHER = TestPki.create("Someone else's CA");
  private static final TestPki.Issued SERVER = CONTROLLER.server("localhost", "127.0.0.1");

  @Test
  void handshake_withThePinnedCa_isAccepted() throws Exception {
    PinnedCaTrustManager trust = new PinnedCaTrustManager(CONTROLLER.pin());

    TlsHandshake.run(trust, "localhost", SERVER);

    assertEquals(CONTROLLER.ca(), trust.pinnedCa().orElseThrow());
  }

  @Test
  void handshake_withAnotherCaPinned_isRefusedWithTheClearMessage() {
    PinnedCaTrustManager trust = new PinnedCaTrustManager(OTHER.pin());

    SSLException e =
        assertThrows(SSLException.class, () -> TlsHandshake.run(trust, "localhost", SERVER));

    String message = certificateMessage(e);
    assertTrue(
        message.startsWith(
            "controller CA does not match the pin in the token file: "
                + "expected "
                + OTHER.pin()
                + ", got "),
        message);
    assertTrue(message.contains(CONTROLLER.pin() + " (CN=Bulwark CA)"), message);
  }

  @Test
  void handshake_withTheRightCaButAnotherHost_failsHostnameVerification() {
    PinnedCaTrustManager trust = new PinnedCaTrustManager(CONTROLLER.pin());

    SSLException e =
        assertThrows(
            SSLException.class, () -> TlsHandshake.run(trust, "controller.example", SERVER));

    assertTrue(certificateMessage(e).contains("controller.example"), certificateMessage(e));
  }

  @Test
  void leafFromAnImpostorCa_presentedWithTheRealCa_failsPkix() {
    // An attacker can present the real CA certificate, but not a leaf the real CA signed.
    TestPki.Issued forged = TestPki.create("Bulwark CA").server("localhost");
    TestPki.Issued withRealCa =
        new TestPki.Issued(forged.key(), List.of(forged.certificate(), CONTROLLER.ca()));
    PinnedCaTrustManager trust = new PinnedCaTrustManager(CONTROLLER.pin());

    assertThrows(SSLException.class, () -> TlsHandshake.run(trust, "localhost", withRealCa));
    assertTrue(trust.pinnedCa().isEmpty());
  }

  @Test
  void checksWithoutAConnection_orOfClients_alwaysRefuse() {
    PinnedCaTrustManager trust = new PinnedCaTrustManager(CONTROLLER.pin());
    X509Certificate[] chain = SERVER.chain().toArray(new X509Certificate[0]);

    assertThrows(CertificateException.class, () -> trust.checkServerTrusted(chain, "ECDHE_ECDSA"));
    assertThrows(CertificateException.class, () -> trust.checkClientTrusted(chain, "ECDHE_ECDSA"));
    assertEquals(0, trust.getAcceptedIssuers().length);
  }

  private static String certificateMessage(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateException) {
        return cause.getMessage();
      }
    }
    return String.valueOf(e.getMessage());
  }
}
