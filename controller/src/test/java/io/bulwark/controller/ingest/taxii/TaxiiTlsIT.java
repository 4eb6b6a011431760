package io.bulwark.controller.ingest.taxii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.bulwark.controller.pki.CertificateAuthority;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TLS keeps the JDK's certificate checks: a server the client does not trust is refused. */
class TaxiiTlsIT {
  private HttpsServer server;
  private CertificateAuthority ca;

  @BeforeEach
  void start() throws Exception {
    ca = CertificateAuthority.create("taxii test CA", Clock.systemUTC());
    var id = ca.issueServer(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")), Duration.ofDays(1));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", id.key(), new char[0], new Certificate[] {id.certificate(), id.ca()});
    var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", x -> {
      try (x) {
        byte[] b = "{\"title\":\"tls root\"}".getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", TaxiiClient.MEDIA_TYPE);
        x.sendResponseHeaders(200, b.length);
        x.getResponseBody().write(b);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI root() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/api1/");
  }

  @Test
  void untrustedServerCertificate_isRefused_andNotRetried() {
    var client = new TaxiiClient(new TaxiiAuth.None(), Duration.ofSeconds(10));
    var e = assertThrows(TaxiiException.class, () -> client.apiRoot(root()));
    assertTrue(e.getMessage().contains("TLS failed") && e.getMessage().contains(root().toString()), e.getMessage());
    assertFalse(e.isTransient());
  }

  @Test
  void serverTrustedThroughItsCa_isRead() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.certificate());
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    var http = HttpClient.newBuilder().sslContext(tls).proxy(HttpClient.Builder.NO_PROXY).build();
    var client = new TaxiiClient(http, new TaxiiAuth.None(), Duration.ofSeconds(10));
    assertEquals("tls root", client.apiRoot(root()).path("title").asText());
  }
}
