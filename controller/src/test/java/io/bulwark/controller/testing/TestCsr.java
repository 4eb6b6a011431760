package io.bulwark.controller.testing;

import java.security.KeyPair;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** PKCS#10 certificate requests as an agent makes them, for tests of enrollment and issuance. */
public final class TestCsr {
  private TestCsr() {}

  /** A DER request with the given subject for a new ECDSA P-256 key, as an agent makes it. */
  public static byte[] of(String subject) throws Exception {
    return of(io.bulwark.controller.pki.CertificateAuthority.newKeyPair(), subject);
  }

  /** A DER request for {@code keys} with the given subject, signed with the key itself. */
  public static byte[] of(KeyPair keys, String subject) throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
        .getEncoded();
  }
}
