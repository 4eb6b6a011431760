package io.bulwark.agent.link;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Offers the agent's one key and certificate chain as its TLS client identity, and nothing as a
 * server. Netty's own way from a key and chain goes through a PKCS#12 key store, whose
 * password-based key protection costs about 5 ms of CPU per context (14 ms cold) against 0.1 ms
 * here: nothing for one agent, but it adds up over thousands of simulated ones. Thread-safe.
 */
final class IdentityKeyManager extends X509ExtendedKeyManager {
  static final String ALIAS = "agent";

  private final PrivateKey key;
  private final X509Certificate[] chain;
  /** The key's algorithm as TLS names key types ("EC", "RSA"). */
  private final String algorithm;
  /** The algorithm of the key that signed the certificate, named the same way. */
  private final String signedWith;

  IdentityKeyManager(AgentIdentity identity) {
    Objects.requireNonNull(identity, "identity");
    this.key = identity.privateKey();
    this.chain = identity.certificateChain().toArray(new X509Certificate[0]);
    this.algorithm = key.getAlgorithm().toUpperCase(Locale.ROOT);
    String signature = chain[0].getSigAlgName().toUpperCase(Locale.ROOT);
    this.signedWith = signature.endsWith("ECDSA") ? "EC" : signature.endsWith("RSA") ? "RSA" : signature;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return choose(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return choose(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  private String choose(String[] keyTypes) {
    if (keyTypes != null) {
      for (String type : keyTypes) {
        if (fits(type)) {
          return ALIAS;
        }
      }
    }
    return null;
  }

  /**
   * Whether the peer asks for a key like this one: a TLS key type names the key's algorithm ("EC"),
   * and OpenSSL's names for fixed-ECDH certificate types add the algorithm the certificate is
   * signed with ("EC_EC" for one signed with ECDSA, "EC_RSA" with RSA), which must then be its
   * issuer's.
   */
  private boolean fits(String keyType) {
    if (keyType == null) {
      return false;
    }
    String type = keyType.toUpperCase(Locale.ROOT);
    return type.equals(algorithm) || type.equals(algorithm + "_" + signedWith);
  }
}
