package io.bulwark.agent.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.bulwark.agent.testing.TestPki;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class IdentityKeyManagerTest {
  private final AgentIdentity identity = TestPki.create("km-ca").agentIdentity("km-1");
  private final IdentityKeyManager keys = new IdentityKeyManager(identity);

  @Test
  void offersItsEcKey_forEcKeyTypes_only() {
    assertEquals(IdentityKeyManager.ALIAS, keys.chooseEngineClientAlias(new String[] {"RSA", "EC"}, null, null));
    assertEquals(IdentityKeyManager.ALIAS, keys.chooseClientAlias(new String[] {"EC_EC"}, null, null));
    assertNull(keys.chooseEngineClientAlias(new String[] {"RSA", "EdDSA", "ECX"}, null, null));
    assertNull(keys.chooseEngineClientAlias(new String[] {"EC_RSA", "DH_RSA"}, null, null),
        "a certificate signed with ECDSA is no EC_RSA one");
    assertNull(keys.chooseEngineClientAlias(null, null, null));
    assertArrayEquals(new String[] {IdentityKeyManager.ALIAS}, keys.getClientAliases("ec", null));
    assertNull(keys.getClientAliases("RSA", null));
  }

  @Test
  void givesTheKeyAndAFreshCopyOfTheChain_underItsAliasOnly() {
    assertSame(identity.privateKey(), keys.getPrivateKey(IdentityKeyManager.ALIAS));
    X509Certificate[] chain = keys.getCertificateChain(IdentityKeyManager.ALIAS);
    assertArrayEquals(identity.certificateChain().toArray(new X509Certificate[0]), chain);
    chain[0] = null;
    assertNotSame(chain, keys.getCertificateChain(IdentityKeyManager.ALIAS));
    assertSame(identity.certificate(), keys.getCertificateChain(IdentityKeyManager.ALIAS)[0]);
    assertNull(keys.getPrivateKey("other"));
    assertNull(keys.getCertificateChain("other"));
  }

  @Test
  void isNeverAServer() {
    assertNull(keys.getServerAliases("EC", null));
    assertNull(keys.chooseServerAlias("EC", null, null));
    assertNull(keys.chooseEngineServerAlias("EC", null, null));
  }
}
