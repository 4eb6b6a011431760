package io.bulwark.controller.ingest.taxii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.pki.SecretBox;
import io.bulwark.controller.testing.TlsMaterial;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeedTlsTest {
  private static final TlsMaterial.Identity CA = TlsMaterial.ca("client CA");
  private final SecretBox secrets = SecretBox.random();

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** A key in {@code form} and its PEM: PKCS#8 as the JDK encodes it, traditional as openssl writes it. */
  private static Object[] key(String form) {
    return switch (form) {
      case "ec-pkcs8" -> pkcs8(TlsMaterial.ec());
      case "rsa-pkcs8" -> pkcs8(TlsMaterial.rsa());
      case "ec-traditional" -> traditional(TlsMaterial.openssl(List.of("ecparam", "-name", "prime256v1", "-genkey", "-noout")));
      case "rsa-traditional" -> traditional(TlsMaterial.openssl(List.of("genrsa", "-traditional", "2048")));
      default -> throw new IllegalArgumentException(form);
    };
  }

  private static Object[] pkcs8(KeyPair keys) {
    return new Object[] {keys, TlsMaterial.pkcs8(keys.getPrivate())};
  }

  private static Object[] traditional(String pem) {
    return new Object[] {TlsMaterial.keyPair(pem), pem};
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ec-pkcs8", "ec-traditional", "rsa-pkcs8", "rsa-traditional"})
  void clientKey_inEachPemForm_isSealed_andOpensIntoAContext(String form) {
    Object[] k = key(form);
    KeyPair keys = (KeyPair) k[0];
    String keyPem = (String) k[1];
    var id = TlsMaterial.client(CA, "bulwark-feed", keys);
    assertTrue(keyPem.contains(form.endsWith("pkcs8") ? "BEGIN PRIVATE KEY" : form.startsWith("ec") ? "BEGIN EC PRIVATE KEY"
        : "BEGIN RSA PRIVATE KEY"), keyPem);

    FeedTls tls = FeedTls.seal("vendor", TlsMaterial.pem(id.certificate()), bytes(keyPem), "", secrets);

    assertTrue(tls.hasClientCertificate());
    String der = Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
    assertFalse(tls.sealedClientKey().contains(der.substring(20, 60)));
    assertFalse(tls.describe().contains("PRIVATE"), tls.describe());
    assertTrue(tls.describe().contains("CN=bulwark-feed"), tls.describe());
    assertEquals("TLS", tls.context("vendor", secrets).getProtocol());
  }

  @Test
  void keyOfAnotherCertificate_isRefused_namingTheCertificate() {
    var id = TlsMaterial.client(CA, "bulwark-feed", TlsMaterial.ec());
    String other = TlsMaterial.pkcs8(TlsMaterial.ec().getPrivate());
    var e = assertThrows(IllegalArgumentException.class,
        () -> FeedTls.seal("vendor", TlsMaterial.pem(id.certificate()), bytes(other), "", secrets));
    assertEquals("the client key does not belong to the client certificate CN=bulwark-feed", e.getMessage());
  }

  @Test
  void encryptedKey_isRefused() {
    String ec = TlsMaterial.openssl(List.of("ecparam", "-name", "prime256v1", "-genkey", "-noout"));
    var id = TlsMaterial.client(CA, "bulwark-feed", TlsMaterial.keyPair(ec));
    String pkcs8 = TlsMaterial.openssl(List.of("ecparam", "-name", "prime256v1", "-genkey", "-noout"),
        List.of("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout", "pass:pw"));
    String traditional = TlsMaterial.openssl(List.of("ecparam", "-name", "prime256v1", "-genkey", "-noout"),
        List.of("ec", "-aes256", "-passout", "pass:pw"));
    assertTrue(pkcs8.contains("BEGIN ENCRYPTED PRIVATE KEY") && traditional.contains("ENCRYPTED"), pkcs8 + traditional);
    for (String encrypted : List.of(pkcs8, traditional)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> FeedTls.seal("vendor", TlsMaterial.pem(id.certificate()), bytes(encrypted), "", secrets));
      assertEquals("the client key is encrypted: give it without a passphrase", e.getMessage());
    }
  }

  @Test
  void brokenKey_isRefused_withoutQuotingIt() {
    var id = TlsMaterial.client(CA, "bulwark-feed", TlsMaterial.ec());
    String broken = "-----BEGIN PRIVATE KEY-----\nSECRETSECRETSECRET\n-----END PRIVATE KEY-----\n";
    var e = assertThrows(IllegalArgumentException.class,
        () -> FeedTls.seal("vendor", TlsMaterial.pem(id.certificate()), bytes(broken), "", secrets));
    assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    assertTrue(e.getMessage().startsWith("the client key file"), e.getMessage());
  }

  @Test
  void certificateWithoutKey_andCaThatIsNoCertificate_areRefused() {
    var id = TlsMaterial.client(CA, "bulwark-feed", TlsMaterial.ec());
    assertThrows(IllegalArgumentException.class,
        () -> FeedTls.seal("vendor", TlsMaterial.pem(id.certificate()), new byte[0], "", secrets));
    var e = assertThrows(IllegalArgumentException.class,
        () -> FeedTls.seal("vendor", "", new byte[0], TlsMaterial.pkcs8(TlsMaterial.ec().getPrivate()), secrets));
    assertEquals("the server CA file holds something other than certificates", e.getMessage());
  }

  @Test
  void sealedKey_opensOnlyForItsFeed_andUnderItsKey() {
    KeyPair keys = TlsMaterial.ec();
    var id = TlsMaterial.client(CA, "bulwark-feed", keys);
    FeedTls tls = FeedTls.seal("vendor", TlsMaterial.pem(id.certificate()), bytes(TlsMaterial.pkcs8(keys.getPrivate())),
        TlsMaterial.pem(CA.certificate()), secrets);
    var moved = assertThrows(TaxiiException.class, () -> tls.context("other", secrets));
    assertTrue(moved.getMessage().startsWith("feed other: its client key cannot be opened"), moved.getMessage());
    assertThrows(TaxiiException.class, () -> tls.context("vendor", SecretBox.random()));
  }
}
